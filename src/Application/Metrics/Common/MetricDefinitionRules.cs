using FluentValidation;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>Rules every metric definition obeys, for create and update alike.</summary>
public abstract class MetricDefinitionRules<T> : AbstractValidator<T>
    where T : IMetricDefinitionInput
{
    public const int MaxTitleLength = 300;
    public const int MaxPromptLength = 2_000;
    public const int MaxQueryLength = 100_000;
    public const int MaxLayouts = 20;

    protected MetricDefinitionRules()
    {
        RuleFor(d => d.Title)
            .Must(t => !string.IsNullOrWhiteSpace(t)).When(d => d.Title is not null).WithMessage("title must not be blank; leave it out to derive one.")
            .MaximumLength(MaxTitleLength).WithMessage($"title must be at most {MaxTitleLength} characters.");
        RuleFor(d => d.IsEditable).NotNull().WithMessage("is_editable is required (true or false).");
        RuleFor(d => d.QueryGenerationPrompt)
            .Must(p => !string.IsNullOrWhiteSpace(p)).When(d => d.QueryGenerationPrompt is not null).WithMessage("query_generation_prompt must not be blank.")
            .MaximumLength(MaxPromptLength).WithMessage($"query_generation_prompt must be at most {MaxPromptLength} characters.");
        RuleFor(d => d.Query)
            .Must(q => !string.IsNullOrWhiteSpace(q)).When(d => d.Query is not null).WithMessage("query must not be blank.")
            .MaximumLength(MaxQueryLength).WithMessage($"query must be at most {MaxQueryLength} characters.");
        // PostgreSQL text cannot hold NUL: refused here as bad input rather than failing later.
        RuleFor(d => d.Title).Must(NotHoldNul).WithMessage("title must not contain a NUL character (U+0000).");
        RuleFor(d => d.QueryGenerationPrompt).Must(NotHoldNul).WithMessage("query_generation_prompt must not contain a NUL character (U+0000).");
        RuleFor(d => d.Query).Must(NotHoldNul).WithMessage("query must not contain a NUL character (U+0000).");
        RuleFor(d => d.Query)
            .Null().When(d => d.QueryGenerationPrompt is not null)
            .WithMessage("Send either query_generation_prompt or query, not both.");

        RuleFor(d => d.Layouts).NotNull().WithMessage("layouts is required (an array, possibly empty).");
        RuleFor(d => d.Layouts!.Count).LessThanOrEqualTo(MaxLayouts).When(d => d.Layouts is not null)
            .OverridePropertyName("layouts").WithMessage($"At most {MaxLayouts} layouts (one per breakpoint).");
        RuleForEach(d => d.Layouts).ChildRules(layout =>
        {
            layout.RuleFor(l => l.Breakpoint).Must(b => !string.IsNullOrWhiteSpace(b)).WithMessage("breakpoint is required, e.g. \"lg\".");
            layout.RuleFor(l => l.X).NotNull().WithMessage("x is required.");
            layout.RuleFor(l => l.Y).NotNull().WithMessage("y is required.");
            layout.RuleFor(l => l.W).NotNull().WithMessage("w is required.");
            layout.RuleFor(l => l.H).NotNull().WithMessage("h is required.");
            layout.RuleFor(l => l).Custom((input, context) =>
            {
                if (input.X is null || input.Y is null || input.W is null || input.H is null || string.IsNullOrWhiteSpace(input.Breakpoint))
                {
                    return;
                }

                foreach (var (field, problem) in input.ToLayoutItem().Problems())
                {
                    context.AddFailure(field, problem);
                }
            });
        });
        RuleFor(d => d.Layouts)
            .Must(layouts => layouts!.Where(l => l.Breakpoint is not null).GroupBy(l => l.Breakpoint!.Trim()).All(g => g.Count() == 1))
            .When(d => d.Layouts is not null)
            .WithMessage("Each breakpoint may have one layout only.");
    }

    private static bool NotHoldNul(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);
}
