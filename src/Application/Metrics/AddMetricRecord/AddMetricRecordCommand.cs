using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.AddMetricRecord;

/// <summary>Record one event for a metric. The date defaults to now (UTC).</summary>
public sealed record AddMetricRecordCommand(
    string? Date,
    decimal? Obsolescence,
    decimal? ObsolescenceVal,
    int? PartsFlagged,
    string? AlertType,
    string? AlertCategory) : ICommand<CreatedRecord>, IIdempotentCommand
{
    public Guid MetricId { get; init; }

    public string? IdempotencyKey { get; init; }

    // The metric is part of the request: one key used for two metrics is refused.
    public object IdentifyingValues() => new { Date, Obsolescence, ObsolescenceVal, PartsFlagged, AlertType, AlertCategory, MetricId };
}

public sealed record CreatedRecord(Guid Id);
