using System.Text.Json.Serialization;
using MetricsEngine.Application.Metrics.AddMetricRecord;

namespace MetricsEngine.Web.Endpoints.Requests;

/// <summary>The body of POST /metrics/{id}/metric-records.</summary>
internal sealed record NewMetricRecord(
    string? Date,
    decimal? Obsolescence,
    decimal? ObsolescenceVal,
    int? PartsFlagged,
    string? AlertType,
    string? AlertCategory)
{
    /// <summary>
    /// Not read: the metric comes from the route. While the command was bound from the body, a
    /// <c>metric_id</c> field was skipped rather than refused as unknown; this keeps it so.
    /// </summary>
    [JsonIgnore]
    public Guid MetricId { get; init; }

    /// <summary>Not read: the key comes from the <c>Idempotency-Key</c> header; kept skipped for the reason <see cref="MetricId"/> is.</summary>
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public AddMetricRecordCommand ToCommand(Guid metricId, string? idempotencyKey) =>
        new(Date, Obsolescence, ObsolescenceVal, PartsFlagged, AlertType, AlertCategory) { MetricId = metricId, IdempotencyKey = idempotencyKey };
}
