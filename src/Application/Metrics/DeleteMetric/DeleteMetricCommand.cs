using MetricsEngine.Application.Common.Messaging;
using MediatR;

namespace MetricsEngine.Application.Metrics.DeleteMetric;

/// <summary>Soft delete: the metric disappears from reads, keeps its history and can be restored.</summary>
public sealed record DeleteMetricCommand(Guid Id, IReadOnlySet<int>? ExpectedVersions) : ICommand<Unit>;
