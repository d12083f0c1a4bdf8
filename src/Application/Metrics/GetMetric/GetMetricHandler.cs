using System.Diagnostics;
using System.Globalization;
using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>
/// Answers a dashboard tile. Three cache levels, each invalidated with the metric and its query:
/// the definition; the result, per effective argument (so requests that differ only in how they
/// say the same window share one database query); and the finished answer, per request as asked
/// and day, which is returned as the same instance while it is fresh so its JSON can be reused.
/// </summary>
public sealed class GetMetricHandler(IUnitOfWork unitOfWork, IQueryExecutor executor, IMetricCache cache, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<GetMetricQuery, MetricView>
{
    public async Task<MetricView> Handle(GetMetricQuery request, CancellationToken cancellationToken)
    {
        var definition = await cache.GetDefinitionAsync(request.Id, LoadAsync, cancellationToken)
            ?? throw new NotFoundException("Metric", request.Id);
        var (metric, query) = definition.Value;
        var caller = currentUser.CallerKey;
        var today = clock.GetUtcToday();

        // "Today" is part of the request: as_of defaults to it, so the answer changes at midnight UTC.
        var asked = string.Create(CultureInfo.InvariantCulture,
            $"{request.StartDate}|{request.EndDate}|{request.DayRange}|{request.AsOf}|{today.DayNumber}");
        var built = false;
        var answer = await cache.GetAnswerAsync(
            new AnswerKey(metric.Id, metric.Version, query.Id, asked), AnswerAsync, EstimatedBytes, cancellationToken);
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag(EngineTracing.CacheTag, built ? "miss" : "hit");
        }

        return answer.Value;

        async Task<MetricDefinition?> LoadAsync(CancellationToken token) =>
            await unitOfWork.Metrics.FindWithQueryAsync(request.Id, token) is { } found
                ? new MetricDefinition(found.Metric, found.Query)
                : null;

        async Task<Cached<MetricView>> AnswerAsync(CancellationToken token)
        {
            built = true;
            var requested = new RequestedParameters(
                ParameterText.ParseDateOrNull(request.StartDate),
                ParameterText.ParseDateOrNull(request.EndDate),
                ParameterText.ParseDayRangeOrNull(request.DayRange),
                ParameterText.ParseDateOrNull(request.AsOf));
            var bound = ParameterBinder.Bind(query.Parameters, requested, today);

            var result = await cache.GetResultAsync(
                new ResultKey(metric.Id, metric.Version, query.Id, bound.Arguments),
                run => executor.ExecuteAsync(query.ParameterisedSql, bound.Arguments, caller, run),
                token);

            // Fresh only as long as both the definition and the rows it was built from.
            var freshUntil = definition.ExpiresAt < result.ExpiresAt ? definition.ExpiresAt : result.ExpiresAt;
            var view = new MetricView(
                metric.Id,
                metric.Title,
                metric.IsEditable,
                bound.States,
                new RowSet(result.Value.Columns, result.Value.Rows, result.Value.Bytes),
                result.Value.Truncated,
                metric.Layouts)
            {
                FreshUntil = freshUntil,
            };
            return new Cached<MetricView>(view, freshUntil);
        }
    }

    /// <summary>
    /// The rows as counted when they were read, and their JSON (rendered once while the answer is
    /// fresh), which is no larger than the rows it renders: UTF-8 where the rows hold UTF-16.
    /// </summary>
    private static long EstimatedBytes(MetricView view) => 2 * view.Records.Bytes;
}
