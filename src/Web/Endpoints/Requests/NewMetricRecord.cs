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
    public AddMetricRecordCommand ToCommand(Guid metricId, string? idempotencyKey) =>
        new(Date, Obsolescence, ObsolescenceVal, PartsFlagged, AlertType, AlertCategory) { MetricId = metricId, IdempotencyKey = idempotencyKey };
}
