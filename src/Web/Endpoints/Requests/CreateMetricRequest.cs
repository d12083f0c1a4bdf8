using System.Text.Json.Serialization;
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
    /// <summary>
    /// Not read: the key comes from the <c>Idempotency-Key</c> header. While the command was bound
    /// from the body, an <c>idempotency_key</c> field was skipped rather than refused as unknown;
    /// this keeps it so.
    /// </summary>
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public CreateMetricCommand ToCommand(string? idempotencyKey) =>
        new(Title, IsEditable, Layouts, QueryGenerationPrompt, Query) { IdempotencyKey = idempotencyKey };
}
