using System.Diagnostics.Metrics;

namespace MetricsEngine.Crosscutting.Logging;

/// <summary>
/// Instruments an operator (or a test) can watch: how often stored SQL runs and how long it takes,
/// how often the cache answers instead, how the sandbox admits, refuses and bounds what runs, how
/// large answers are and what imports read. Exported through any System.Diagnostics.Metrics
/// listener (OpenTelemetry, docs/adr/telemetry.md). Alarms watch <see cref="AdmissionRejected"/> and
/// <see cref="AdmissionWait"/> by these exact names.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "MetricsEngine";

    /// <summary>Tag of <see cref="AdmissionRejected"/>: <c>caller</c> (429) or <c>pool</c> (503).</summary>
    public const string ReasonTag = "reason";

    /// <summary>The engine's one meter: every <c>metricsengine.*</c> instrument, whichever layer records it, is created on it.</summary>
    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> QueriesExecuted =
        Meter.CreateCounter<long>("metricsengine.queries.executed", description: "Stored SQL executions against PostgreSQL.");

    public static readonly Counter<long> CacheHits =
        Meter.CreateCounter<long>("metricsengine.cache.hits", description: "Reads answered from the cache.");

    public static readonly Counter<long> CacheMisses =
        Meter.CreateCounter<long>("metricsengine.cache.misses", description: "Reads that had to fill the cache.");

    public static readonly Counter<long> AdmissionRejected =
        Meter.CreateCounter<long>("metricsengine.query.admission.rejected",
            description: "Stored-SQL runs refused for want of a slot: reason=caller (the caller's share, 429) or pool (503).");

    public static readonly Histogram<double> AdmissionWait =
        Meter.CreateHistogram<double>("metricsengine.query.admission.wait", unit: "s",
            description: "Time a stored-SQL run waited for its caller's share and a sandbox connection.");

    public static readonly Histogram<long> ResultBytes =
        Meter.CreateHistogram<long>("metricsengine.query.result.bytes", unit: "By",
            description: "Size of each stored-SQL result as held in memory (refused results count up to the limit).");

    public static readonly Counter<long> ResultsTooLarge =
        Meter.CreateCounter<long>("metricsengine.query.result.too_large", description: "Results refused for passing Query__MaxResultBytes.");

    public static readonly Counter<long> AllowlistRefusals =
        Meter.CreateCounter<long>("metricsengine.query.allowlist.refusals",
            description: "Stored SQL refused by the allowlist, when it is saved or before its first run.");

    public static readonly Histogram<double> QueryDuration = Meter.CreateHistogram(
        "metricsengine.query.duration", unit: "s",
        description: "Time to run a metric's stored SQL, admission wait included, by outcome (ok, timeout, rejected, throttled, unavailable, error).",
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
