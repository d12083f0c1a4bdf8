using FluentValidation;
using MetricsEngine.Application.Metrics.Parameters;

namespace MetricsEngine.Application.Metrics.GetMetric;

public sealed class GetMetricValidator : AbstractValidator<GetMetricQuery>
{
    private const string DateMessage = "must be a calendar date in the form YYYY-MM-DD.";

    public GetMetricValidator()
    {
        RuleFor(q => q.StartDate).Must(BeADate).When(q => q.StartDate is not null).WithMessage("start_date " + DateMessage);
        RuleFor(q => q.EndDate).Must(BeADate).When(q => q.EndDate is not null).WithMessage("end_date " + DateMessage);
        RuleFor(q => q.AsOf).Must(BeADate).When(q => q.AsOf is not null).WithMessage("as_of " + DateMessage);
        RuleFor(q => q.DayRange)
            .Must(d => ParameterText.TryParseDayRange(d, out _))
            .When(q => q.DayRange is not null)
            .WithMessage($"day_range must be a whole number of days from 0 to {ParameterText.MaxDayRange}.");
        // start_date after end_date is checked when binding, where the query's defaults are known.
    }

    private static bool BeADate(string? text) => ParameterText.TryParseDate(text, out _);
}
