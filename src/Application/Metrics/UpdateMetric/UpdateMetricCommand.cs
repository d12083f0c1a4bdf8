using System.Text.Json.Serialization;
using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.UpdateMetric;

/// <summary>
/// Replace a metric's definition (PUT /metrics/{id}). Without a prompt or SQL the metric keeps its
/// query; without a title it keeps its title. <see cref="ExpectedVersions"/> comes from If-Match.
/// </summary>
public sealed record UpdateMetricCommand(
    string? Title,
    bool? IsEditable,
    IReadOnlyList<LayoutInput>? Layouts,
    string? QueryGenerationPrompt,
    string? Query) : ICommand<MetricDefinitionView>, IMetricDefinitionInput
{
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>The versions the caller's If-Match accepts; null when it sent none (or <c>*</c>).</summary>
    [JsonIgnore]
    public IReadOnlySet<int>? ExpectedVersions { get; init; }
}
