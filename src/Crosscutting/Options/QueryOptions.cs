using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Crosscutting.Options;

/// <summary>Limits applied to every execution of stored SQL (configuration section <c>Query</c>).</summary>
public sealed class QueryOptions
{
    public const string SectionName = "Query";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 10_000;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}
