using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Time;

namespace MetricsEngine.Application.Metrics.GetMetric;

public sealed class GetMetricHandler(IUnitOfWork unitOfWork, IQueryExecutor executor, IMetricCache cache, TimeProvider clock)
    : IRequestHandler<GetMetricQuery, MetricView>
{
    public async Task<MetricView> Handle(GetMetricQuery request, CancellationToken cancellationToken)
    {
        var definition = await cache.GetDefinitionAsync(request.Id, LoadAsync, cancellationToken)
            ?? throw new NotFoundException("Metric", request.Id);
        var (metric, query) = definition.Value;

        var requested = new RequestedParameters(
            ParameterText.ParseDateOrNull(request.StartDate),
            ParameterText.ParseDateOrNull(request.EndDate),
            ParameterText.ParseDayRangeOrNull(request.DayRange),
            ParameterText.ParseDateOrNull(request.AsOf));
        var bound = ParameterBinder.Bind(query.Parameters, requested, clock.GetUtcToday());

        var result = await cache.GetResultAsync(
            new ResultKey(metric.Id, metric.Version, query.Id, bound.Arguments),
            token => executor.ExecuteAsync(query.ParameterisedSql, bound.Arguments, token),
            cancellationToken);
        return new MetricView(
            metric.Id,
            metric.Title,
            metric.IsEditable,
            bound.States,
            new RowSet(result.Value.Columns, result.Value.Rows),
            result.Value.Truncated,
            metric.Layouts)
        {
            FreshUntil = definition.ExpiresAt < result.ExpiresAt ? definition.ExpiresAt : result.ExpiresAt,
        };

        async Task<MetricDefinition?> LoadAsync(CancellationToken token) =>
            await unitOfWork.Metrics.FindWithQueryAsync(request.Id, token) is { } found
                ? new MetricDefinition(found.Metric, found.Query)
                : null;
    }
}
