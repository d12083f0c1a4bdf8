using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.CreateMetric;

/// <summary>Create a metric from a prompt (SQL generated) or from raw SQL.</summary>
public sealed record CreateMetricCommand(
    string? Title,
    bool? IsEditable,
    IReadOnlyList<LayoutInput>? Layouts,
    string? QueryGenerationPrompt,
    string? Query) : ICommand<CreatedMetric>, IMetricDefinitionInput, IIdempotentCommand
{
    public string? IdempotencyKey { get; init; }

    public object IdentifyingValues() => new { Title, IsEditable, Layouts, QueryGenerationPrompt, Query };
}

public sealed record CreatedMetric(Guid Id);
