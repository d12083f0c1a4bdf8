using System.Diagnostics.Metrics;

namespace MetricsEngine.Crosscutting.Logging;

/// <summary>
/// Counters an operator (or a test) can watch: how often stored SQL actually runs, and how often
/// the cache answers instead. Exported through any System.Diagnostics.Metrics listener.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "MetricsEngine";

    /// <summary>The engine's one meter: every <c>metricsengine.*</c> instrument, whichever layer records it, is created on it.</summary>
    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> QueriesExecuted =
        Meter.CreateCounter<long>("metricsengine.queries.executed", description: "Stored SQL executions against PostgreSQL.");

    public static readonly Counter<long> CacheHits =
        Meter.CreateCounter<long>("metricsengine.cache.hits", description: "Reads answered from the cache.");

    public static readonly Counter<long> CacheMisses =
        Meter.CreateCounter<long>("metricsengine.cache.misses", description: "Reads that had to fill the cache.");

    public static readonly Histogram<double> QueryDuration = Meter.CreateHistogram(
        "metricsengine.query.duration", unit: "s",
        description: "Time to run a metric's stored SQL, by outcome (ok, timeout, rejected, unavailable, error).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static readonly Histogram<long> QueryRows = Meter.CreateHistogram(
        "metricsengine.query.rows", unit: "{row}", description: "Rows a metric's stored SQL returned.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 10, 100, 1_000, 10_000, 100_000] });

    public static readonly Histogram<long> AnswerSize = Meter.CreateHistogram(
        "metricsengine.answer.size", unit: "By", description: "Bytes of JSON in a metric's answer (GET /metrics/{id}).",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 8_388_608] });

    public static readonly Counter<long> ImportItems = Meter.CreateCounter<long>(
        "metricsengine.import.items", unit: "{item}", description: "Items read by imports, by kind and outcome (added, updated, unchanged, rejected).");
}
