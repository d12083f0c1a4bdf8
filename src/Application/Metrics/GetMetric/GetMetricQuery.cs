using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>
/// Run a metric's query. The filters arrive as the caller typed them so that a malformed value is
/// reported against its own name rather than as a generic binding failure.
/// </summary>
public sealed record GetMetricQuery(Guid Id, string? StartDate = null, string? EndDate = null, string? DayRange = null, string? AsOf = null)
    : IQuery<MetricView>;
