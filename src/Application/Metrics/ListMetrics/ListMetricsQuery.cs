using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.ListMetrics;

/// <summary>A page of live metrics, oldest first. Paging values arrive as typed so bad ones are named.</summary>
public sealed record ListMetricsQuery(string? Page = null, string? PageSize = null) : IQuery<PagedList<MetricSummary>>
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}
