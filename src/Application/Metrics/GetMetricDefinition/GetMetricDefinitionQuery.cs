using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.GetMetricDefinition;

public sealed record GetMetricDefinitionQuery(Guid Id) : IQuery<MetricDefinitionView>;
