using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Metrics.ListMetricVersions;

/// <summary>A metric's history, oldest first; deleted metrics keep theirs, so a deletion can be undone.</summary>
public sealed record ListMetricVersionsQuery(Guid Id) : IQuery<IReadOnlyList<MetricVersionView>>;

public sealed record MetricVersionView(int Version, DateTimeOffset ChangedAt, string ChangedBy, string Change);
