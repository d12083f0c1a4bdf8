using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Infrastructure.Caching;

/// <summary>In-process caching of metric definitions and query results (configuration section <c>Cache</c>).</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";

    public bool Enabled { get; set; } = true;

    [Range(1, 86_400)]
    public int DefinitionTtlSeconds { get; set; } = 300;

    [Range(1, 86_400)]
    public int ResultTtlSeconds { get; set; } = 30;

    /// <summary>Upper bound on the estimated size of everything cached.</summary>
    [Range(1, 65_536)]
    public int SizeLimitMegabytes { get; set; } = 256;

    public TimeSpan DefinitionTtl => TimeSpan.FromSeconds(DefinitionTtlSeconds);
    public TimeSpan ResultTtl => TimeSpan.FromSeconds(ResultTtlSeconds);
}
