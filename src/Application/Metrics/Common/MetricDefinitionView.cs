using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>A metric's definition: its SQL as stored and as run, parameters with defaults, layout, version.</summary>
public sealed record MetricDefinitionView(
    Guid Id,
    string Title,
    bool IsEditable,
    string QueryId,
    string Sql,
    string ParameterisedSql,
    IReadOnlyList<QueryParameter> Parameters,
    IReadOnlyList<LayoutItem> Layouts,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static MetricDefinitionView Of(Metric metric, StoredQuery query) => new(
        metric.Id, metric.Title, metric.IsEditable, query.Id, query.Sql, query.ParameterisedSql,
        query.Parameters, metric.Layouts, metric.Version, metric.CreatedAt, metric.UpdatedAt);
}
