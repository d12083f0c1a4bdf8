using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.UpdateMetric;

public sealed class UpdateMetricValidator : MetricDefinitionRules<UpdateMetricCommand>;
