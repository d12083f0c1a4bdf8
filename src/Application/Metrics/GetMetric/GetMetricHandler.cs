using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Time;

namespace MetricsEngine.Application.Metrics.GetMetric;

public sealed class GetMetricHandler(IUnitOfWork unitOfWork, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<GetMetricQuery, MetricView>
{
    public async Task<MetricView> Handle(GetMetricQuery request, CancellationToken cancellationToken)
    {
        var (metric, query) = await unitOfWork.Metrics.FindWithQueryAsync(request.Id, cancellationToken)
            ?? throw new NotFoundException("Metric", request.Id);

        var requested = new RequestedParameters(
            ParameterText.ParseDateOrNull(request.StartDate),
            ParameterText.ParseDateOrNull(request.EndDate),
            ParameterText.ParseDayRangeOrNull(request.DayRange),
            ParameterText.ParseDateOrNull(request.AsOf));
        var bound = ParameterBinder.Bind(query.Parameters, requested, clock.GetUtcToday());

        var result = await executor.ExecuteAsync(query.ParameterisedSql, bound.Arguments, cancellationToken);
        return new MetricView(
            metric.Id,
            metric.Title,
            metric.IsEditable,
            bound.States,
            new RowSet(result.Columns, result.Rows),
            result.Truncated,
            metric.Layouts);
    }
}
