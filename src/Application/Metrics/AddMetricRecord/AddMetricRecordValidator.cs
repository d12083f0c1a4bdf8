using FluentValidation;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Metrics.AddMetricRecord;

public sealed class AddMetricRecordValidator : AbstractValidator<AddMetricRecordCommand>
{
    public const int MaxTextLength = 200;

    public AddMetricRecordValidator()
    {
        RuleFor(c => c)
            .Must(c => c.Obsolescence is not null || c.ObsolescenceVal is not null || c.PartsFlagged is not null
                || c.AlertType is not null || c.AlertCategory is not null)
            .OverridePropertyName("measures")
            .WithMessage($"A record needs at least one measure: {string.Join(", ", Measures.Names)}.");
        RuleFor(c => c.Date)
            .Must(d => RecordDates.TryParseUtc(d, out _)).When(c => c.Date is not null)
            .WithMessage(c => RecordDates.IsOutOfRange(c.Date)
                ? $"date {RecordDates.RangeMessage}"
                : $"date must be an ISO 8601 date such as {RecordDates.Example} (UTC unless an offset is given).");
        RuleFor(c => c.AlertType).MaximumLength(MaxTextLength).WithMessage($"alert_type must be at most {MaxTextLength} characters.");
        RuleFor(c => c.AlertCategory).MaximumLength(MaxTextLength).WithMessage($"alert_category must be at most {MaxTextLength} characters.");
    }
}
