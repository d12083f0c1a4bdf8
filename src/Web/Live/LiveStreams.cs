using System.Collections.Concurrent;
using MetricsEngine.Crosscutting.Errors;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Live;

/// <summary>
/// Every open stream on this instance: the limits (<c>Live__MaxStreamsPerCaller</c>, 429 beyond;
/// <c>Live__MaxStreams</c>, 503 beyond), one heartbeat timer for all of them, and their end when
/// the instance shuts down, so clients reconnect to another instance at once.
/// </summary>
internal sealed class LiveStreams : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<EventStream, byte> _open = new();
    private readonly ConcurrentDictionary<string, int> _perCaller = new(StringComparer.Ordinal);
    private readonly IOptions<LiveOptions> _options;
    private readonly TimeProvider _clock;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly Lock _lock = new();
    private CancellationTokenRegistration _stopping;
    private ITimer? _heartbeat;
    private int _count;

    public LiveStreams(IOptions<LiveOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        _options = options;
        _clock = clock;
        _lifetime = lifetime;
    }

    public int Count => Volatile.Read(ref _count);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var every = _options.Value.Heartbeat;
        _heartbeat = _clock.CreateTimer(_ => Beat(), null, every, every);
        // Before Kestrel waits for requests to finish: open streams would hold the shutdown to its timeout.
        _stopping = _lifetime.ApplicationStopping.Register(EndAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        EndAll();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _heartbeat?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Counts the stream against its caller's and the instance's limit, or refuses it.</summary>
    public void Open(EventStream stream)
    {
        var limits = _options.Value;
        lock (_lock)
        {
            if (_lifetime.ApplicationStopping.IsCancellationRequested || _count >= limits.MaxStreams)
            {
                throw new StreamLimitException(false,
                    $"This instance serves {limits.MaxStreams} event streams at most and has none free; retry (another instance may have room).");
            }

            var mine = _perCaller.GetValueOrDefault(stream.Caller);
            if (mine >= limits.MaxStreamsPerCaller)
            {
                throw new StreamLimitException(true,
                    $"A caller may hold {limits.MaxStreamsPerCaller} event streams at once and yours are all open; close one (one stream carries many metrics).");
            }

            _perCaller[stream.Caller] = mine + 1;
            _count++;
            _open[stream] = 0;
        }
    }

    public void Close(EventStream stream)
    {
        lock (_lock)
        {
            if (!_open.TryRemove(stream, out _))
            {
                return;
            }

            _count--;
            var left = _perCaller[stream.Caller] - 1;
            if (left == 0)
            {
                _perCaller.TryRemove(stream.Caller, out _);
            }
            else
            {
                _perCaller[stream.Caller] = left;
            }
        }
    }

    private void Beat()
    {
        foreach (var stream in _open.Keys)
        {
            stream.Offer(Frame.Heartbeat);
        }
    }

    private void EndAll()
    {
        foreach (var stream in _open.Keys)
        {
            stream.End(StreamEnd.ShuttingDown);
        }
    }
}
