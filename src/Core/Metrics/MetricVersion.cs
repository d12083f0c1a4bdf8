namespace MetricsEngine.Core.Metrics;

/// <summary>One entry of a metric's history: who changed what, when, and the definition after the change.</summary>
public sealed record MetricVersion(
    Guid MetricId,
    int Version,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    string Change,
    MetricSnapshot Snapshot);
