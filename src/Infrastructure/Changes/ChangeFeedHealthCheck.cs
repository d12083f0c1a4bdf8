using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetricsEngine.Infrastructure.Changes;

/// <summary>
/// Degraded, not unhealthy, while the listening connection is down: the instance still answers
/// correctly (it serves nothing from its cache meanwhile), and a database blip must not take the
/// whole fleet out of the load balancer at once.
/// </summary>
internal sealed class ChangeFeedHealthCheck(ChangeFeedState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Reason is { } reason
            ? HealthCheckResult.Degraded($"{reason} Changes made on other instances may be missed, so nothing is served from the cache until it listens again.")
            : HealthCheckResult.Healthy("Listening for changes from every instance."));
}
