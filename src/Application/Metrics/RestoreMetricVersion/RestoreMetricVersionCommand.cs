using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.RestoreMetricVersion;

/// <summary>Roll back: a new version whose definition equals version <see cref="Version"/> (works on deleted metrics too).</summary>
public sealed record RestoreMetricVersionCommand(Guid Id, int Version) : ICommand<MetricDefinitionView>;
