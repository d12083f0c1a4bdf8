using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.Parameters;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>
/// Run a metric's query with the date filters the caller gave (read and checked by the edge). The
/// answer is the cache's own (<see cref="MetricAnswer"/>), so the edge can derive its JSON once per entry.
/// </summary>
public sealed record GetMetricQuery(Guid Id, RequestedParameters Parameters) : IQuery<MetricAnswer>;
