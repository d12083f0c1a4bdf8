using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Live;
using MetricsEngine.Web.OpenApi;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Endpoints;

/// <summary>
/// Live metrics as Server-Sent Events (README, "Live metrics"): the answer GET would give, first
/// and then each time it changes, for one metric or many on one stream.
/// </summary>
internal static class LiveEndpoints
{
    private const string EventStreamType = "text/event-stream";

    private const string Events =
        "Answers `text/event-stream`. First an `event: metric` per metric whose `data` is exactly the JSON `GET /metrics/{id}` " +
        "returns for these parameters and whose `id` is that answer's ETag without quotes (skipped when it equals `Last-Event-ID`); " +
        "then a new `event: metric` each time that answer changes, on any instance (a record for its query, a definition change " +
        "or restore, an import); nothing when a recomputation gives the same answer. `event: deleted` (`{\"id\": ...}`) when a metric " +
        "is deleted; `event: error` with the problem document (and `metric_id`) when a recomputation fails, and the stream goes on; " +
        "`event: reauthenticate` and the end of the stream when the token expires. A comment line every `Live__HeartbeatSeconds` " +
        "and a `retry:` hint. A client that does not read is disconnected once `Live__MaxBufferedEvents` events wait for it; " +
        "on shutdown streams end so clients reconnect elsewhere.";

    private const string Refusals429 =
        "The caller has used up its request budget, or already holds `Live__MaxStreamsPerCaller` open streams; retry after `Retry-After` seconds.";

    private const string Refusals503 =
        "The database cannot be reached, or this instance already serves `Live__MaxStreams` streams (another instance may not); " +
        "retry after `Retry-After` seconds.";

    public static RouteGroupBuilder MapLiveEndpoints(this RouteGroupBuilder metrics)
    {
        string[] window = [QueryParameterNames.StartDate, QueryParameterNames.EndDate, QueryParameterNames.DayRange, QueryParameterNames.AsOf];

        metrics.MapGet("/events", StreamManyAsync)
            .WithName("StreamMetrics")
            .WithSummary("Follow several metrics on one event stream: each answer now and whenever it changes")
            .WithDescription(Events + " `id` is repeated for each metric; the window parameters apply to each metric that uses them; " +
                "each event's data names its metric. A deleted metric leaves the stream, which ends when none is left.")
            .AllowQueryParameters([.. window.Prepend("id")], repeatable: ["id"])
            .ReadsHeader(ApiHeaders.LastEventId)
            .Produces(StatusCodes.Status200OK, contentType: EventStreamType)
            .Answers(StatusCodes.Status200OK, "The event stream.")
            .Answers(StatusCodes.Status400BadRequest,
                $"No `id`, more than {LiveOptions.MaxMetricsPerStream}, one that is not a UUID, or a window parameter that is unknown, repeated or malformed; `errors` names each.")
            .Answers(StatusCodes.Status404NotFound, "One of the ids names no live metric.")
            .Answers(StatusCodes.Status429TooManyRequests, Refusals429)
            .Answers(StatusCodes.Status503ServiceUnavailable, Refusals503);

        metrics.MapGet("/{id}/events", StreamOneAsync)
            .WithName("StreamMetric")
            .WithSummary("Follow one metric: its answer now and whenever it changes, as Server-Sent Events")
            .WithDescription(Events + " The stream ends after `event: deleted`.")
            .AllowQueryParameters(window)
            .ReadsHeader(ApiHeaders.LastEventId)
            .Produces(StatusCodes.Status200OK, contentType: EventStreamType)
            .Answers(StatusCodes.Status200OK, "The event stream.")
            .Answers(StatusCodes.Status400BadRequest,
                "A malformed id, or a query parameter that is unknown, repeated or malformed, or `start_date` after `end_date`; `errors` names each.")
            .Answers(StatusCodes.Status404NotFound, "No live metric has this id.")
            .Answers(StatusCodes.Status429TooManyRequests, Refusals429)
            .Answers(StatusCodes.Status503ServiceUnavailable, Refusals503);

        return metrics;
    }

    private static Task StreamManyAsync(
        [FromQuery(Name = "id")] string[]? id,
        [FromQuery(Name = QueryParameterNames.StartDate)] string? startDate,
        [FromQuery(Name = QueryParameterNames.EndDate)] string? endDate,
        [FromQuery(Name = QueryParameterNames.DayRange)] string? dayRange,
        [FromQuery(Name = QueryParameterNames.AsOf)] string? asOf,
        HttpContext http)
    {
        var ids = (id ?? []).Select(RouteIds.Metric).Distinct().ToList();
        if (ids.Count is 0 or > LiveOptions.MaxMetricsPerStream)
        {
            throw new RequestValidationException("id",
                $"Give 1 to {LiveOptions.MaxMetricsPerStream} metric ids, each as its own 'id' parameter: /metrics/events?id=<uuid>&id=<uuid>.");
        }

        return StreamAsync(http, ids, () => MetricWindow.Parse(startDate, endDate, dayRange, asOf));
    }

    private static Task StreamOneAsync(
        string id,
        [FromQuery(Name = QueryParameterNames.StartDate)] string? startDate,
        [FromQuery(Name = QueryParameterNames.EndDate)] string? endDate,
        [FromQuery(Name = QueryParameterNames.DayRange)] string? dayRange,
        [FromQuery(Name = QueryParameterNames.AsOf)] string? asOf,
        HttpContext http) =>
        StreamAsync(http, [RouteIds.Metric(id)], () => MetricWindow.Parse(startDate, endDate, dayRange, asOf));

    /// <param name="http">The request.</param>
    /// <param name="metricIds">The metrics to follow.</param>
    /// <param name="window">
    /// Reads the date filters; called once the stream is admitted, so a caller over its stream
    /// limit hears that (429, 503) before anything about its parameters.
    /// </param>
    private static async Task StreamAsync(HttpContext http, IReadOnlyList<Guid> metricIds, Func<RequestedParameters> window)
    {
        var services = http.RequestServices;
        var limits = services.GetRequiredService<IOptions<LiveOptions>>().Value;
        var hub = services.GetRequiredService<LiveHub>();
        var streams = services.GetRequiredService<LiveStreams>();
        var clock = services.GetRequiredService<TimeProvider>();
        var caller = services.GetRequiredService<ICurrentUser>().CallerKey;

        using var stream = new EventStream([.. metricIds], limits.MaxBufferedEvents, http.Request.Headers["Last-Event-ID"], caller);
        streams.Open(stream);
        var topics = new List<LiveHub.Topic>();
        try
        {
            // Everything GET would refuse (malformed parameters, an unknown metric) is refused here,
            // as a status, before the stream starts.
            var asked = window();
            var subscribing = metricIds.Select(id => hub.SubscribeAsync(new LiveKey(id, asked), stream, http.RequestAborted)).ToList();
            try
            {
                await Task.WhenAll(subscribing);
            }
            finally
            {
                topics.AddRange(subscribing.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            }

            foreach (var topic in topics)
            {
                topic.Offer(stream);
            }

            await WriteAsync(http, stream, limits, clock);
        }
        finally
        {
            foreach (var topic in topics)
            {
                hub.Unsubscribe(topic, stream);
            }

            streams.Close(stream);
        }
    }

    private static async Task WriteAsync(HttpContext http, EventStream stream, LiveOptions limits, TimeProvider clock)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = EventStreamType;
        response.Headers.CacheControl = "no-cache";
        // nginx: pass each event on as it is written (the deployment's location block says so too).
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // A token cannot listen past its expiry.
        using var expiry = TokenExpiry(http, clock) is { } left ? new CancellationTokenSource(left, clock) : new CancellationTokenSource();
        using var running = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, expiry.Token, stream.Killed);
        var body = response.Body;
        try
        {
            await body.WriteAsync(Frame.Retry(limits.RetryMilliseconds), running.Token);
            await body.FlushAsync(running.Token);
            await foreach (var frame in stream.Frames.ReadAllAsync(running.Token))
            {
                await body.WriteAsync(frame.Bytes, running.Token);
                if (!stream.Frames.TryPeek(out _))
                {
                    await body.FlushAsync(running.Token);
                }
            }
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested && !stream.Killed.IsCancellationRequested)
        {
            await body.WriteAsync(Frame.Reauthenticate(), http.RequestAborted);
            await body.FlushAsync(http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested || stream.Killed.IsCancellationRequested)
        {
            // The client went away, or read too slowly and is cut off below.
        }

        if (stream.Ended == StreamEnd.SlowConsumer)
        {
            http.Abort();
        }
    }

    /// <summary>How long the token has left (its <c>exp</c>), or null when it does not say.</summary>
    private static TimeSpan? TokenExpiry(HttpContext http, TimeProvider clock)
    {
        if (!long.TryParse(http.User.FindFirst("exp")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exp))
        {
            return null;
        }

        var left = DateTimeOffset.FromUnixTimeSeconds(exp) - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
