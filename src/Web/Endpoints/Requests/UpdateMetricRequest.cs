using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.UpdateMetric;

namespace MetricsEngine.Web.Endpoints.Requests;

/// <summary>The body of PUT /metrics/{id}.</summary>
internal sealed record UpdateMetricRequest(
    string? Title,
    bool? IsEditable,
    IReadOnlyList<LayoutInput>? Layouts,
    string? QueryGenerationPrompt,
    string? Query)
{
    public UpdateMetricCommand ToCommand(Guid id, IReadOnlySet<int>? expectedVersions) =>
        new(Title, IsEditable, Layouts, QueryGenerationPrompt, Query) { Id = id, ExpectedVersions = expectedVersions };
}
