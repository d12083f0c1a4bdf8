using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.GetMetricDefinition;

public sealed class GetMetricDefinitionHandler(IUnitOfWork unitOfWork) : IRequestHandler<GetMetricDefinitionQuery, MetricDefinitionView>
{
    public async Task<MetricDefinitionView> Handle(GetMetricDefinitionQuery request, CancellationToken cancellationToken)
    {
        var (metric, query) = await unitOfWork.Metrics.FindWithQueryAsync(request.Id, cancellationToken)
            ?? throw new NotFoundException("Metric", request.Id);
        return MetricDefinitionView.Of(metric, query);
    }
}
