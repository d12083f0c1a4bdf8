using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>What a caller sends to define a metric (POST and PUT bodies).</summary>
public interface IMetricDefinitionInput
{
    /// <summary>Optional; derived from the prompt (or the SQL's leading comment) when absent.</summary>
    string? Title { get; }

    bool? IsEditable { get; }

    IReadOnlyList<LayoutInput>? Layouts { get; }

    /// <summary>Natural language; exactly one of this and <see cref="Query"/> on create.</summary>
    string? QueryGenerationPrompt { get; }

    /// <summary>Raw SQL over the <c>metrics</c> view; its date literals become parameters.</summary>
    string? Query { get; }
}

/// <summary>
/// One tile position. Every number is nullable so that a missing one is reported as missing
/// rather than silently read as 0.
/// </summary>
public static class MetricDefinitionInputs
{
    /// <summary>The layouts as domain values; call only after validation.</summary>
    public static IReadOnlyList<LayoutItem> LayoutItems(this IMetricDefinitionInput input) =>
        [.. input.Layouts!.Select(l => l.ToLayoutItem())];
}

public sealed record LayoutInput(string? Breakpoint, int? X, int? Y, int? W, int? H, bool? Static)
{
    public LayoutItem ToLayoutItem() => new(Breakpoint!.Trim(), X!.Value, Y!.Value, W!.Value, H!.Value, Static);
}
