using System.Text.Json.Serialization;
using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.AddMetricRecord;

/// <summary>Record one event for a metric (POST /metrics/{id}/metric-records). The date defaults to now (UTC).</summary>
public sealed record AddMetricRecordCommand(
    string? Date,
    decimal? Obsolescence,
    decimal? ObsolescenceVal,
    int? PartsFlagged,
    string? AlertType,
    string? AlertCategory) : ICommand<CreatedRecord>, IIdempotentCommand
{
    [JsonIgnore]
    public Guid MetricId { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }
}

public sealed record CreatedRecord(Guid Id);
