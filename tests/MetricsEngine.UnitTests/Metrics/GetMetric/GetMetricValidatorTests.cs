using MetricsEngine.Application.Metrics.GetMetric;

namespace MetricsEngine.UnitTests.Metrics.GetMetric;

public sealed class GetMetricValidatorTests
{
    private const string DateMessage = "must be a calendar date in the form YYYY-MM-DD.";
    private const string DayRangeMessage = "day_range must be a whole number of days from 0 to 36500.";

    private readonly GetMetricValidator _validator = new();

    [Test]
    public void A_request_without_filters_is_valid()
    {
        var result = _validator.Validate(new GetMetricQuery(Guid.NewGuid()));

        result.IsValid.ShouldBeTrue();
    }

    [TestCase("2025-06-01")]
    [TestCase("2024-02-29")]
    [TestCase("0001-01-01")]
    [TestCase("9999-12-31")]
    public void Calendar_dates_are_valid_for_every_date_filter(string date)
    {
        var result = _validator.Validate(new GetMetricQuery(Guid.NewGuid(), StartDate: date, EndDate: date, AsOf: date));

        result.IsValid.ShouldBeTrue();
    }

    [TestCase("2025-02-30")]
    [TestCase("2025-02-29")]
    [TestCase("2025-13-01")]
    [TestCase("2025-6-1")]
    [TestCase("2025/06/01")]
    [TestCase("01-06-2025")]
    [TestCase("2025-06-01T00:00:00")]
    [TestCase(" 2025-06-01")]
    [TestCase("today")]
    [TestCase("")]
    public void Malformed_dates_are_reported_against_their_own_filter(string date)
    {
        var result = _validator.Validate(new GetMetricQuery(Guid.NewGuid(), StartDate: date, EndDate: date, AsOf: date));

        Errors(result).ShouldBe([
            ("StartDate", "start_date " + DateMessage),
            ("EndDate", "end_date " + DateMessage),
            ("AsOf", "as_of " + DateMessage),
        ]);
    }

    [Test]
    public void Only_the_malformed_filter_is_reported()
    {
        var result = _validator.Validate(new GetMetricQuery(Guid.NewGuid(), StartDate: "2025-06-01", EndDate: "2025-6-30"));

        Errors(result).ShouldBe([("EndDate", "end_date " + DateMessage)]);
    }

    [TestCase("0")]
    [TestCase("1")]
    [TestCase("30")]
    [TestCase("36500")]
    public void Day_ranges_from_0_to_36500_are_valid(string dayRange)
    {
        var result = _validator.Validate(new GetMetricQuery(Guid.NewGuid(), DayRange: dayRange));

        result.IsValid.ShouldBeTrue();
    }

    [TestCase("-1")]
    [TestCase("36501")]
    [TestCase("99999999999")]
    [TestCase("1.5")]
    [TestCase("abc")]
    [TestCase("+7")]
    [TestCase(" 7")]
    [TestCase("1e2")]
    [TestCase("")]
    public void Other_day_ranges_are_invalid(string dayRange)
    {
        var result = _validator.Validate(new GetMetricQuery(Guid.NewGuid(), DayRange: dayRange));

        Errors(result).ShouldBe([("DayRange", DayRangeMessage)]);
    }

    private static (string Property, string Message)[] Errors(FluentValidation.Results.ValidationResult result) =>
        [.. result.Errors.Select(e => (e.PropertyName, e.ErrorMessage))];
}
