using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.UpdateMetric;

/// <summary>
/// Replace a metric's definition. Without a prompt or SQL the metric keeps its query; without a
/// title it keeps its title. <see cref="ExpectedVersions"/> makes the update conditional.
/// </summary>
public sealed record UpdateMetricCommand(
    string? Title,
    bool? IsEditable,
    IReadOnlyList<LayoutInput>? Layouts,
    string? QueryGenerationPrompt,
    string? Query) : ICommand<MetricDefinitionView>, IMetricDefinitionInput
{
    public Guid Id { get; init; }

    /// <summary>The versions the caller accepts as current; null when any will do.</summary>
    public IReadOnlySet<int>? ExpectedVersions { get; init; }
}
