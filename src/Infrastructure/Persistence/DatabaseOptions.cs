using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>
/// The engine's own connection pool (configuration section <c>Database</c>): sized so that every
/// instance's pools together stay under the server's connection limit (README: "Pool sizing").
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Connections the engine pool (ConnectionStrings__Metrics) may open per instance.</summary>
    [Range(1, 1_000)]
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>How long a request waits for a free engine connection (or to open one) before 503.</summary>
    [Range(1, 60)]
    public int AcquireTimeoutSeconds { get; set; } = 3;

    /// <summary>An idle connection of either pool is closed after this long, so quiet instances hold few.</summary>
    [Range(1, 3_600)]
    public int ConnectionIdleLifetimeSeconds { get; set; } = 30;
}
