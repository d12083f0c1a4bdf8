using FluentValidation;
using MetricsEngine.Application.Metrics.Common;

namespace MetricsEngine.Application.Metrics.CreateMetric;

public sealed class CreateMetricValidator : MetricDefinitionRules<CreateMetricCommand>
{
    public CreateMetricValidator() =>
        RuleFor(c => c.QueryGenerationPrompt)
            .NotNull().When(c => c.Query is null)
            .WithMessage("Send query_generation_prompt (natural language) or query (SQL over the metrics view).");
}
