namespace MetricsEngine.Infrastructure.Health;

/// <summary>Which health checks answer which probe.</summary>
public static class HealthTags
{
    /// <summary>Checks that decide readiness (<c>/health/ready</c>).</summary>
    public const string Ready = "ready";

    /// <summary>The check behind <c>/health</c>'s <c>database</c> flag.</summary>
    public const string Database = "database";
}
