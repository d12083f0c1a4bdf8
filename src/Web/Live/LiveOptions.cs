using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Web.Live;

/// <summary>Live event streams (configuration section <c>Live</c>; README, "Live metrics").</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Live";

    /// <summary>Most metrics one stream may carry (<c>id</c> given this many times at most).</summary>
    public const int MaxMetricsPerStream = 100;

    /// <summary>A comment line this often keeps proxies and load balancers from cutting a quiet stream.</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>At most one recomputation per (metric, parameters) this often, however many changes arrive.</summary>
    [Range(0, 60_000)]
    public int MinIntervalMilliseconds { get; set; } = 250;

    /// <summary>Open streams per caller (429 beyond); a dashboard needs one.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerCaller { get; set; } = 20;

    /// <summary>
    /// Open streams per instance (503 beyond, so clients go to another instance). 10,000 is what
    /// one 2-CPU instance holds with room to spare (bench/results); an idle stream costs a few KB.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxStreams { get; set; } = 10_000;

    /// <summary>Events waiting for a client that does not read; one more and it is disconnected.</summary>
    [Range(1, 10_000)]
    public int MaxBufferedEvents { get; set; } = 32;

    /// <summary>The reconnection delay sent as <c>retry:</c>.</summary>
    [Range(0, 600_000)]
    public int RetryMilliseconds { get; set; } = 3_000;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
    public TimeSpan MinInterval => TimeSpan.FromMilliseconds(MinIntervalMilliseconds);
}
