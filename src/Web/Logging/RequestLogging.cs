using System.Diagnostics;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// The one completion line per request: method, path, the status the client got and the time it
/// took. It is the outermost middleware, so it sees the status after the exception handler has
/// turned an error into its problem document: a handled 404 is logged as 404 at Information, never
/// as a 500 with a stack trace. Unexpected failures (500) are Error; 502/503/504, which the API
/// answers on purpose when something it depends on fails, are Warning. A request the client
/// abandoned is logged as 499 (nobody got an answer) at Information: it is not an error of ours.
/// Health probes are Debug, so they do not flood the log.
/// </summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    /// <summary>The status logged when the client went away before the answer was complete (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        Exception? escaped = null;
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            escaped = exception;
            throw;
        }
        finally
        {
            Complete(context, Stopwatch.GetElapsedTime(started).TotalMilliseconds, escaped);
        }
    }

    private void Complete(HttpContext context, double elapsedMs, Exception? escaped)
    {
        var aborted = context.RequestAborted.IsCancellationRequested;
        var status = aborted ? ClientClosedRequest
            : escaped is not null ? StatusCodes.Status500InternalServerError
            : context.Response.StatusCode;
        var level = context.Request.Path.StartsWithSegments("/health") ? LogLevel.Debug
            : status == StatusCodes.Status500InternalServerError ? LogLevel.Error
            : status >= 500 && status != ClientClosedRequest ? LogLevel.Warning
            : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var request = context.Request;
        Responded(logger, level, request.Method, request.Path.Value ?? "/", status, elapsedMs,
            request.Scheme, context.Connection.RemoteIpAddress?.ToString(), aborted ? null : escaped);
    }

    [LoggerMessage(EventId = 1, EventName = "RequestCompleted",
        Message = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms ({Scheme} from {ClientAddress})")]
    private static partial void Responded(
        ILogger logger, LogLevel level, string requestMethod, string requestPath, int statusCode, double elapsed,
        string scheme, string? clientAddress, Exception? exception);
}
