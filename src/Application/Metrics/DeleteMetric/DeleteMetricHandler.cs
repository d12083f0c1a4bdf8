using MediatR;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Application.Metrics.DeleteMetric;

public sealed class DeleteMetricHandler(MetricChangeGuard guard, MetricChanges changes, TimeProvider clock)
    : IRequestHandler<DeleteMetricCommand, Unit>
{
    public async Task<Unit> Handle(DeleteMetricCommand request, CancellationToken cancellationToken)
    {
        var (metric, query) = await guard.LoadAsync(request.Id, request.ExpectedVersions, includeDeleted: false, cancellationToken);
        var before = MetricSnapshot.Of(metric, query);
        metric.Delete(clock.GetUtcNow());
        changes.Changed(metric, query, before);
        return Unit.Value;
    }
}
