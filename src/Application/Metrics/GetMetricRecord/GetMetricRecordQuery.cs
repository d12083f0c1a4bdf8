using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.GetMetricRecord;

/// <summary>
/// One stored record, as seen through a metric: what <c>AddMetricRecordCommand</c> answers the id of.
/// </summary>
public sealed record GetMetricRecordQuery(Guid MetricId, Guid RecordId) : IQuery<MetricRecordView>;

/// <summary>A record as stored: the POST body's fields with the date resolved to UTC, plus when it was stored.</summary>
public sealed record MetricRecordView(
    Guid Id,
    Guid MetricId,
    DateTime Date,
    decimal? Obsolescence,
    decimal? ObsolescenceVal,
    int? PartsFlagged,
    string? AlertType,
    string? AlertCategory,
    DateTimeOffset CreatedAt);
