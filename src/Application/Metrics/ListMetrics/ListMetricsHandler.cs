using System.Globalization;
using MediatR;
using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Application.Metrics.ListMetrics;

public sealed class ListMetricsHandler(IUnitOfWork unitOfWork) : IRequestHandler<ListMetricsQuery, PagedList<MetricSummary>>
{
    public Task<PagedList<MetricSummary>> Handle(ListMetricsQuery request, CancellationToken cancellationToken) =>
        unitOfWork.Metrics.ListAsync(
            request.Page is null ? 1 : int.Parse(request.Page, CultureInfo.InvariantCulture),
            request.PageSize is null ? ListMetricsQuery.DefaultPageSize : int.Parse(request.PageSize, CultureInfo.InvariantCulture),
            cancellationToken);
}
