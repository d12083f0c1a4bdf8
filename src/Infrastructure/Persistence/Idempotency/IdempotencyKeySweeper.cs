using MetricsEngine.Application.Common.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Infrastructure.Persistence.Idempotency;

/// <summary>
/// Deletes keys older than <see cref="IdempotentRequests.Window"/> once an hour. An expired key still in
/// the table does no harm (a claim treats it as free); this only keeps the table small. It takes the
/// context the one way there is, from a scope of its own (a hosted service outlives every request).
/// </summary>
internal sealed partial class IdempotencyKeySweeper(
    IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyKeySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();
            var before = clock.GetUtcNow() - IdempotentRequests.Window;
            return await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM idempotency_keys WHERE created_at < {before.ToUniversalTime()}", cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database may be down for a while; the next sweep will catch up.
            SweepFailed(logger, exception.Message);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired idempotency keys: {Reason}")]
    private static partial void SweepFailed(ILogger logger, string reason);
}
