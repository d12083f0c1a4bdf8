using System.Collections.Concurrent;
using MetricsEngine.Crosscutting.Logging;
using Serilog.Sinks.Async;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// Watches the asynchronous console sink's buffer and reports what it dropped when full, as the
/// counter <c>metricsengine.log.dropped</c> (and how many events wait, <c>metricsengine.log.queued</c>),
/// so an operator sees lost lines on the metrics endpoint rather than not at all.
/// </summary>
internal sealed class LogBuffer : IAsyncLogEventSinkMonitor
{
    public static readonly LogBuffer Instance = new();

    // One per host; a test process runs several hosts, so totals add up over all of them.
    private readonly ConcurrentDictionary<IAsyncLogEventSinkInspector, byte> _inspectors = new();
    private long _droppedByStoppedSinks;

    private LogBuffer()
    {
        EngineMetrics.Meter.CreateObservableCounter(
            "metricsengine.log.dropped", () => Dropped, unit: "{event}",
            description: "Log events dropped because the console could not keep up and the buffer was full.");
        EngineMetrics.Meter.CreateObservableUpDownCounter(
            "metricsengine.log.queued", () => _inspectors.Keys.Sum(i => (long)i.Count), unit: "{event}",
            description: "Log events waiting in the buffer to be written.");
    }

    public long Dropped => Interlocked.Read(ref _droppedByStoppedSinks) + _inspectors.Keys.Sum(i => i.DroppedMessagesCount);

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => _inspectors.TryAdd(inspector, 0);

    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        if (_inspectors.TryRemove(inspector, out _))
        {
            Interlocked.Add(ref _droppedByStoppedSinks, inspector.DroppedMessagesCount);
        }
    }
}
