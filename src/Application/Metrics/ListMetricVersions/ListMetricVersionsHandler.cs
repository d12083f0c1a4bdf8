using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.ListMetricVersions;

public sealed class ListMetricVersionsHandler(IUnitOfWork unitOfWork) : IRequestHandler<ListMetricVersionsQuery, IReadOnlyList<MetricVersionView>>
{
    public async Task<IReadOnlyList<MetricVersionView>> Handle(ListMetricVersionsQuery request, CancellationToken cancellationToken)
    {
        var versions = await unitOfWork.Versions.ListAsync(request.Id, cancellationToken);
        if (versions.Count == 0 && await unitOfWork.Metrics.FindAsync(request.Id, cancellationToken) is null)
        {
            throw new NotFoundException("Metric", request.Id);
        }

        return [.. versions.Select(v => new MetricVersionView(v.Version, v.ChangedAt, v.ChangedBy, v.Change))];
    }
}
