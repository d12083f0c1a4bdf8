using System.Text.Json.Serialization;
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
    /// <summary>
    /// Not read: the id comes from the route. While the command was bound from the body, an
    /// <c>id</c> field was skipped rather than refused as unknown; this keeps it so.
    /// </summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>Not read: the versions come from <c>If-Match</c>; kept skipped for the reason <see cref="Id"/> is.</summary>
    [JsonIgnore]
    public IReadOnlySet<int>? ExpectedVersions { get; init; }

    public UpdateMetricCommand ToCommand(Guid id, IReadOnlySet<int>? expectedVersions) =>
        new(Title, IsEditable, Layouts, QueryGenerationPrompt, Query) { Id = id, ExpectedVersions = expectedVersions };
}
