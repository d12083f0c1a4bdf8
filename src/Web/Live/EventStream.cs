using System.Threading.Channels;

namespace MetricsEngine.Web.Live;

/// <summary>
/// One open text/event-stream response: a bounded queue of frames between the topics that feed it
/// and the writer that drains it to the client. A client that does not read fills the queue and
/// is disconnected, so a slow consumer costs a bounded amount of memory.
/// </summary>
internal sealed class EventStream : IDisposable
{
    private readonly Channel<Frame> _frames;
    private readonly Dictionary<Guid, string?> _sent = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _killed = new();

    /// <param name="metrics">The metrics it carries.</param>
    /// <param name="capacity">Frames it may hold for a client that does not read.</param>
    /// <param name="lastEventId">The client's Last-Event-ID: a metric whose answer has this ETag is not sent again.</param>
    /// <param name="caller">The caller key its limit is counted against.</param>
    public EventStream(IReadOnlyCollection<Guid> metrics, int capacity, string? lastEventId, string caller)
    {
        Caller = caller;
        _frames = Channel.CreateBounded<Frame>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var seen = string.IsNullOrEmpty(lastEventId) ? null : $"\"{lastEventId}\"";
        foreach (var metric in metrics)
        {
            _sent[metric] = seen;
        }
    }

    public string Caller { get; }

    /// <summary>Why the stream was closed from the server's side, if it was.</summary>
    public StreamEnd? Ended { get; private set; }

    public ChannelReader<Frame> Frames => _frames.Reader;

    /// <summary>Cancelled when the client reads too slowly: a writer blocked on it must give up at once.</summary>
    public CancellationToken Killed => _killed.Token;

    /// <summary>Queues a frame; an answer the client already has is skipped; a full queue ends the stream.</summary>
    public void Offer(Frame frame)
    {
        lock (_lock)
        {
            if (frame.Kind != FrameKind.Heartbeat)
            {
                if (!_sent.TryGetValue(frame.MetricId, out var last))
                {
                    return; // deleted from this stream already
                }

                if (frame.Kind == FrameKind.Metric)
                {
                    if (last == frame.ETag)
                    {
                        return;
                    }

                    _sent[frame.MetricId] = frame.ETag;
                }
                else if (frame.Kind == FrameKind.Deleted)
                {
                    _sent.Remove(frame.MetricId);
                }
                else
                {
                    // After an error the same answer as before is news again: the tile shows the error.
                    _sent[frame.MetricId] = null;
                }
            }

            if (!_frames.Writer.TryWrite(frame))
            {
                End(StreamEnd.SlowConsumer);
            }
            else if (frame.Kind == FrameKind.Deleted && _sent.Count == 0)
            {
                End(StreamEnd.NothingLeft);
            }
        }
    }

    /// <summary>The response is over: nothing is queued any more.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            Ended ??= StreamEnd.Closed;
            _frames.Writer.TryComplete();
            _killed.Dispose();
        }
    }

    /// <summary>Ends the stream: the writer sends what is queued (unless the client is too slow) and returns.</summary>
    public void End(StreamEnd reason)
    {
        lock (_lock)
        {
            if (Ended is not null)
            {
                return;
            }

            Ended = reason;
            _frames.Writer.TryComplete();
            if (reason == StreamEnd.SlowConsumer)
            {
                _killed.Cancel();
            }
        }
    }
}

internal enum StreamEnd
{
    /// <summary>Every metric it carried was deleted.</summary>
    NothingLeft,

    /// <summary>The client read too slowly and its queue filled.</summary>
    SlowConsumer,

    /// <summary>The instance is shutting down; the client reconnects elsewhere.</summary>
    ShuttingDown,

    /// <summary>The response ended (the client went away, or the token expired).</summary>
    Closed,
}
