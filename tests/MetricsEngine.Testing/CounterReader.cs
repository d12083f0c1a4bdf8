using System.Diagnostics.Metrics;
using MetricsEngine.Crosscutting.Logging;

namespace MetricsEngine.Testing;

/// <summary>Sums one of the engine's counters while it is alive (tests in an assembly run one at a time).</summary>
public sealed class CounterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    public CounterReader(string instrument)
    {
        _listener.InstrumentPublished = (found, listener) =>
        {
            if (found.Meter.Name == EngineMetrics.MeterName && found.Name == instrument)
            {
                listener.EnableMeasurementEvents(found);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.Start();
    }

    public static CounterReader QueriesExecuted() => new("metricsengine.queries.executed");

    public long Total => Interlocked.Read(ref _total);

    public void Dispose() => _listener.Dispose();
}
