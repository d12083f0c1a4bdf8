using FluentValidation;

namespace MetricsEngine.Application.Metrics.ListMetrics;

public sealed class ListMetricsValidator : AbstractValidator<ListMetricsQuery>
{
    public ListMetricsValidator()
    {
        RuleFor(q => q.Page)
            .Must(p => int.TryParse(p, out var page) && page >= 1).When(q => q.Page is not null)
            .WithMessage("page must be a whole number from 1.");
        RuleFor(q => q.PageSize)
            .Must(s => int.TryParse(s, out var size) && size is >= 1 and <= ListMetricsQuery.MaxPageSize).When(q => q.PageSize is not null)
            .WithMessage($"page_size must be a whole number from 1 to {ListMetricsQuery.MaxPageSize}.");
    }
}
