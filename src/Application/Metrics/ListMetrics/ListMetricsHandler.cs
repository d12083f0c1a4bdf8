using MediatR;
using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Application.Metrics.ListMetrics;

public sealed class ListMetricsHandler(IUnitOfWork unitOfWork) : IRequestHandler<ListMetricsQuery, PagedList<MetricSummary>>
{
    public Task<PagedList<MetricSummary>> Handle(ListMetricsQuery request, CancellationToken cancellationToken) =>
        unitOfWork.Metrics.ListAsync(request.Page ?? 1, request.PageSize ?? ListMetricsQuery.DefaultPageSize, cancellationToken);
}
