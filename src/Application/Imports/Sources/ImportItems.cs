using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Imports;

// What import sources produce, one record per kind of item.

public sealed record QueryRow(string Id, string Sql);

public sealed record MetricItem(Guid Id, string QueryId, bool IsEditable);

public sealed record LayoutEntry(Guid MetricId, LayoutItem Item);

public sealed record RecordRow(string QueryId, DateTime DateUtc, Measures Measures);

public sealed record MetricsDocument(IReadOnlyList<SourceItem<MetricItem>> Items, IReadOnlyList<SourceItem<LayoutEntry>> Layouts);
