using System.Diagnostics.Metrics;

namespace MetricsEngine.Crosscutting.Logging;

/// <summary>
/// Counters an operator (or a test) can watch: how often stored SQL actually runs, and how often
/// the cache answers instead. Exported through any System.Diagnostics.Metrics listener.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "MetricsEngine";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> QueriesExecuted =
        Meter.CreateCounter<long>("metricsengine.queries.executed", description: "Stored SQL executions against PostgreSQL.");

    public static readonly Counter<long> CacheHits =
        Meter.CreateCounter<long>("metricsengine.cache.hits", description: "Reads answered from the cache.");

    public static readonly Counter<long> CacheMisses =
        Meter.CreateCounter<long>("metricsengine.cache.misses", description: "Reads that had to fill the cache.");
}
