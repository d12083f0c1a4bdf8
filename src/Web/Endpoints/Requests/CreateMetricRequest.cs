using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.CreateMetric;

namespace MetricsEngine.Web.Endpoints.Requests;

/// <summary>The body of POST /metrics.</summary>
internal sealed record CreateMetricRequest(
    string? Title,
    bool? IsEditable,
    IReadOnlyList<LayoutInput>? Layouts,
    string? QueryGenerationPrompt,
    string? Query)
{
    public CreateMetricCommand ToCommand(string? idempotencyKey) =>
        new(Title, IsEditable, Layouts, QueryGenerationPrompt, Query) { IdempotencyKey = idempotencyKey };
}
