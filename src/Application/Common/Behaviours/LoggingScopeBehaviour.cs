using System.Diagnostics;
using MediatR;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Application.Common.Behaviours;

/// <summary>
/// Outermost behaviour: every log line written while a request is handled carries the request's
/// name, and the outcome is logged once with its duration.
/// </summary>
public sealed class LoggingScopeBehaviour<TRequest, TResponse>(ILogger<LoggingScopeBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string RequestName = typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        using var scope = logger.BeginScope(LogScopes.Of((LogScopes.Request, RequestName)));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            logger.LogInformation("Handled {Request} in {ElapsedMs:0.0} ms", RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (MetricsEngineException ex)
        {
            // Expected outcomes (not found, invalid input...) are part of normal traffic, not errors.
            logger.LogInformation("{Request} ended with {ErrorKind} after {ElapsedMs:0.0} ms: {Reason}",
                RequestName, ex.Kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message);
            throw;
        }
    }
}
