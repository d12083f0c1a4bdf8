using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>A metric as a dashboard tile needs it: its rows, the filters that produced them, and its layout.</summary>
public sealed record MetricView(
    Guid Id,
    string Title,
    bool IsEditable,
    IReadOnlyDictionary<string, ParameterState> Parameters,
    RowSet Records,
    bool Truncated,
    IReadOnlyList<LayoutItem> Layouts);

/// <summary>Query rows in column order; written to JSON as one object per row. <see cref="Bytes"/> is what they take in memory.</summary>
public sealed record RowSet(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, long Bytes);
