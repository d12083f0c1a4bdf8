using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.ListMetrics;

/// <summary>
/// A page of live metrics, oldest first: <see cref="Page"/> from 1 and <see cref="PageSize"/> from 1
/// to <see cref="MaxPageSize"/>, or null for the first page and <see cref="DefaultPageSize"/>.
/// </summary>
public sealed record ListMetricsQuery(int? Page = null, int? PageSize = null) : IQuery<PagedList<MetricSummary>>
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}
