using System.Diagnostics;
using MediatR;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Application.Common.Behaviours;

/// <summary>
/// Outermost behaviour: every log line written while a request is handled carries the request's
/// name, and the request is a span of its own (named for it) when traces are recorded. Its
/// outcome and duration are logged at Debug: at Information a request has two lines only, the
/// endpoint's "Endpoint called" and the completion line with the status the client got.
/// </summary>
public sealed partial class LoggingScopeBehaviour<TRequest, TResponse>(ILogger<LoggingScopeBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string RequestName = typeof(TRequest).Name;

    // The same for every request of this type: built once, never changed.
    private static readonly IReadOnlyDictionary<string, object?> Scope = LogScopes.Of((LogScopes.Request, RequestName));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        using var activity = EngineTracing.Source.StartActivity(RequestName);
        using var scope = logger.BeginScope(Scope);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            LogHandled(RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (MetricsEngineException ex)
        {
            // Expected outcomes (not found, invalid input...) are part of normal traffic, not errors.
            activity?.SetTag("metricsengine.outcome", ex.Kind.ToString());
            LogEnded(RequestName, ex.Kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message);
            throw;
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    // Generated: the level is checked before the arguments are boxed into an array, on every request.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {Request} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} ended with {ErrorKind} after {ElapsedMs:0.0} ms: {Reason}")]
    private partial void LogEnded(string request, ErrorKind errorKind, double elapsedMs, string reason);
}
