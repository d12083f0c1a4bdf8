using MediatR;
using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Crosscutting.Errors;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Application.Common.Behaviours;

/// <summary>
/// A read whose database connection broke (a restarted server leaves dead connections in the pool,
/// a socket drops) is tried once more, after a short random pause so that many readers failing at
/// once do not all come back at the same instant. Only reads: they change nothing, so running one
/// twice is harmless. Commands are never retried here, since a write whose answer was lost may have
/// happened (clients make their retries safe with an idempotency key: <c>IdempotencyBehaviour</c>).
/// </summary>
public sealed partial class TransientReadRetryBehaviour<TRequest, TResponse>(
    IEnumerable<IExceptionTranslator> translators, TimeProvider clock, ILogger<TransientReadRetryBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IQuery<TResponse>
{
    private static readonly string RequestName = typeof(TRequest).Name;
    private readonly IExceptionTranslator[] _translators = [.. translators];

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            return await next();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && _translators.Translate(exception) is DatabaseUnavailableException { Retriable: true })
        {
            var pause = TimeSpan.FromMilliseconds(Random.Shared.Next(50, 250));
            Retrying(logger, RequestName, (int)pause.TotalMilliseconds, exception.Message);
            await Task.Delay(pause, clock, cancellationToken);
            return await next();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} lost its database connection ({Reason}); trying once more in {PauseMs} ms")]
    private static partial void Retrying(ILogger logger, string request, int pauseMs, string reason);
}
