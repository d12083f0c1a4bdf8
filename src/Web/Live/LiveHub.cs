using System.Collections.Concurrent;
using MediatR;
using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Application.Metrics.WatchMetric;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Http;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Live;

/// <summary>A metric with the filters asked: what one shared recomputation answers.</summary>
internal sealed record LiveKey(Guid MetricId, RequestedParameters Window)
{
    public GetMetricQuery Query => new(MetricId, Window);
}

/// <summary>
/// Multiplexes live subscribers onto topics, one per <see cref="LiveKey"/> on this instance. A change
/// that may alter a topic's answer schedules one recomputation for the topic, however many streams
/// carry it; changes arriving meanwhile are coalesced into at most one recomputation per
/// <c>Live__MinIntervalMilliseconds</c>. An answer equal to the last one sends nothing. A topic
/// without subscribers is dropped, so keys nobody watches cost nothing.
/// </summary>
internal sealed partial class LiveHub(
    IServiceScopeFactory scopes,
    JsonRenderings renderings,
    IEnumerable<IExceptionTranslator> translators,
    IOptions<LiveOptions> options,
    TimeProvider clock,
    ILogger<LiveHub> logger)
    : IChangeSubscriber
{
    private readonly ConcurrentDictionary<LiveKey, Topic> _topics = new();

    private TimeProvider Clock => clock;

    private TimeSpan MinInterval => options.Value.MinInterval;

    /// <summary>Topics open now (for tests and telemetry).</summary>
    public int TopicCount => _topics.Count;

    /// <summary>
    /// Adds <paramref name="stream"/> to the topic of <paramref name="key"/> and waits for its
    /// first answer. Throws what GET would for a metric that does not exist or a window its query
    /// cannot answer (<c>start_date</c> after <c>end_date</c>); any other failure is the stream's
    /// first event for that metric.
    /// </summary>
    public async Task<Topic> SubscribeAsync(LiveKey key, EventStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var topic = _topics.GetOrAdd(key, k => new Topic(this, k));
            if (topic.Add(stream))
            {
                try
                {
                    await topic.FirstAnswerAsync(cancellationToken);
                    return topic;
                }
                catch
                {
                    Unsubscribe(topic, stream);
                    throw;
                }
            }

            // Lost a race with the last subscriber leaving: that topic is closed, take a new one.
            _topics.TryRemove(new KeyValuePair<LiveKey, Topic>(key, topic));
        }
    }

    public void Unsubscribe(Topic topic, EventStream stream)
    {
        if (topic.Remove(stream))
        {
            _topics.TryRemove(new KeyValuePair<LiveKey, Topic>(topic.Key, topic));
        }
    }

    public void OnChange(Change change)
    {
        foreach (var topic in _topics.Values)
        {
            if (change.Affects(topic.Key.MetricId, topic.QueryId))
            {
                topic.Schedule();
            }
        }
    }

    /// <summary>
    /// One recomputation, as the server's own work, into the frame every subscriber gets; a full
    /// pool is retried twice (0.25 s, 0.5 s) first. A failure is an error frame, except for the first answer of a topic: a window the query
    /// cannot answer (400) and an unreachable database (503) are the subscribing request's answer.
    /// </summary>
    private async Task<(Frame Frame, string? QueryId)> RecomputeAsync(LiveKey key, bool first, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ComputeAsync(key, cancellationToken);
            }
            catch (QueryAdmissionException busy) when (!busy.CallerShare && attempt < BusyAttempts)
            {
                // Every query connection was busy: the server's own work waits its turn a little
                // longer before telling subscribers it failed.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), clock, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Failed(key, first, exception);
            }
        }
    }

    private const int BusyAttempts = 3;

    private async Task<(Frame Frame, string? QueryId)> ComputeAsync(LiveKey key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var answer = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new WatchMetricQuery(key.Query), cancellationToken);
        var rendering = renderings.Of(answer);
        return (Frame.Metric(key.MetricId, rendering.ETag, rendering.Bytes), answer.QueryId);
    }

    private (Frame Frame, string? QueryId) Failed(LiveKey key, bool first, Exception exception)
    {
        switch (translators.Translate(exception))
        {
            case NotFoundException:
                return (Frame.Deleted(key.MetricId), null);
            case RequestValidationException invalid:
                throw invalid;
            case MetricsEngineException { Kind: ErrorKind.DatabaseUnavailable } unavailable when first:
                throw unavailable;
            case MetricsEngineException known:
                return (Frame.Error(key.MetricId, known), null);
            case var unexpected:
                LogRecomputeFailed(unexpected, key.MetricId);
                return (Frame.Error(key.MetricId, unexpected), null);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recomputing metric {MetricId} for its live subscribers failed")]
    private partial void LogRecomputeFailed(Exception exception, Guid metricId);

    /// <summary>The subscribers of one key and the last answer they were sent.</summary>
    internal sealed class Topic(LiveHub hub, LiveKey key)
    {
        private readonly HashSet<EventStream> _streams = [];
        private readonly Lock _lock = new();
        private Task? _first;
        private Frame? _last;
        private bool _closed;
        private int _running;
        private int _dirty;
        private long _lastRun;

        public LiveKey Key { get; } = key;

        /// <summary>The query the metric reads, once known: a change of other records does not touch it.</summary>
        public string? QueryId { get; private set; }

        public bool Add(EventStream stream)
        {
            lock (_lock)
            {
                return !_closed && _streams.Add(stream);
            }
        }

        /// <summary>Removes a stream; true when it was the last, and the topic is closed.</summary>
        public bool Remove(EventStream stream)
        {
            lock (_lock)
            {
                _streams.Remove(stream);
                _closed = _streams.Count == 0;
                return _closed;
            }
        }

        /// <summary>
        /// The first answer (computed once for everyone who arrives before it lands), then queued
        /// to the stream that asked; later answers reach it through <see cref="Schedule"/>.
        /// </summary>
        public async Task FirstAnswerAsync(CancellationToken cancellationToken)
        {
            Task first;
            lock (_lock)
            {
                first = _first ??= ComputeFirstAsync();
            }

            try
            {
                await first.WaitAsync(cancellationToken);
            }
            catch (MetricsEngineException)
            {
                // Refused (400, 503): the next subscriber asks again rather than inherit this answer.
                lock (_lock)
                {
                    if (ReferenceEquals(_first, first))
                    {
                        _first = null;
                    }
                }

                throw;
            }

            if (Volatile.Read(ref _last) is { Kind: FrameKind.Deleted })
            {
                throw new NotFoundException("Metric", Key.MetricId);
            }
        }

        public void Offer(EventStream stream)
        {
            if (Volatile.Read(ref _last) is { } last)
            {
                stream.Offer(last);
            }
        }

        /// <summary>Something this answer reads changed: recompute once, now or when the interval allows.</summary>
        public void Schedule()
        {
            Volatile.Write(ref _dirty, 1);
            if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            {
                // Not on the committer's execution context: its request, caller and log scope are not ours.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(RunAsync);
                }
            }
        }

        private async Task ComputeFirstAsync()
        {
            _lastRun = hub.Clock.GetTimestamp();
            var (frame, queryId) = await hub.RecomputeAsync(Key, first: true, CancellationToken.None);
            QueryId = queryId ?? QueryId;
            Volatile.Write(ref _last, frame);
        }

        private async Task RunAsync()
        {
            while (true)
            {
                try
                {
                    if (_first is { } first)
                    {
                        await first.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }

                    var wait = hub.MinInterval - hub.Clock.GetElapsedTime(Interlocked.Read(ref _lastRun));
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, hub.Clock);
                    }

                    Volatile.Write(ref _dirty, 0);
                    Interlocked.Exchange(ref _lastRun, hub.Clock.GetTimestamp());
                    var (frame, queryId) = await hub.RecomputeAsync(Key, first: false, CancellationToken.None);
                    QueryId = queryId ?? QueryId;
                    var previous = Volatile.Read(ref _last);
                    Volatile.Write(ref _last, frame);
                    if (frame.Kind != FrameKind.Metric || previous?.ETag != frame.ETag)
                    {
                        Broadcast(frame);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    hub.LogRecomputeFailed(exception, Key.MetricId);
                }

                Volatile.Write(ref _running, 0);
                if (Volatile.Read(ref _dirty) == 0 || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                {
                    return;
                }
            }
        }

        private void Broadcast(Frame frame)
        {
            EventStream[] streams;
            lock (_lock)
            {
                streams = [.. _streams];
            }

            foreach (var stream in streams)
            {
                stream.Offer(frame);
            }
        }
    }
}
