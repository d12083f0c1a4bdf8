using System.Diagnostics.Metrics;

namespace MetricsEngine.Crosscutting.Logging;

/// <summary>
/// Instruments an operator (or a test) can watch: how often stored SQL runs, how often the cache
/// answers instead, and how the sandbox admits, refuses and bounds what runs. Exported through any
/// System.Diagnostics.Metrics listener. Alarms watch <see cref="AdmissionRejected"/> and
/// <see cref="AdmissionWait"/> by these exact names.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "MetricsEngine";

    /// <summary>Tag of <see cref="AdmissionRejected"/>: <c>caller</c> (429) or <c>pool</c> (503).</summary>
    public const string ReasonTag = "reason";

    private static readonly Meter Meter = new(MeterName);

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

    public static readonly Counter<long> DoorRefusals =
        Meter.CreateCounter<long>("metricsengine.query.door.refusals",
            description: "Stored SQL refused by the allowlist, at the door or before its first run.");
}
