using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Endpoints;

namespace MetricsEngine.UnitTests.Endpoints;

public sealed class MetricWindowTests
{
    private const string DateMessage = "must be a calendar date in the form YYYY-MM-DD.";
    private const string DayRangeMessage = "day_range must be a whole number of days from 0 to 36500.";

    [Test]
    public void No_filters_read_as_none()
    {
        MetricWindow.Parse(null, null, null, null).ShouldBe(RequestedParameters.None);
    }

    [Test]
    public void Each_filter_reads_as_its_typed_value()
    {
        var window = MetricWindow.Parse("2025-06-01", "2025-06-30", "7", "2025-07-01");

        window.ShouldBe(new RequestedParameters(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30), 7, new DateOnly(2025, 7, 1)));
    }

    [TestCase("2025-06-01")]
    [TestCase("2024-02-29")]
    [TestCase("0001-01-01")]
    [TestCase("9999-12-31")]
    public void Calendar_dates_are_read_for_every_date_filter(string date)
    {
        var expected = DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var window = MetricWindow.Parse(date, date, null, date);

        window.ShouldBe(new RequestedParameters(expected, expected, null, expected));
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
    public void Malformed_dates_are_reported_together_each_against_its_own_filter(string date)
    {
        var invalid = Should.Throw<RequestValidationException>(() => MetricWindow.Parse(date, date, null, date));

        Errors(invalid).ShouldBe([
            ("start_date", "start_date " + DateMessage),
            ("end_date", "end_date " + DateMessage),
            ("as_of", "as_of " + DateMessage),
        ]);
        invalid.Message.ShouldBe("One or more fields are invalid; see 'errors'.");
    }

    [Test]
    public void Only_the_malformed_filter_is_reported_and_its_message_is_the_detail()
    {
        var invalid = Should.Throw<RequestValidationException>(() => MetricWindow.Parse("2025-06-01", "2025-6-30", null, null));

        Errors(invalid).ShouldBe([("end_date", "end_date " + DateMessage)]);
        invalid.Message.ShouldBe("end_date " + DateMessage);
    }

    [TestCase("0", 0)]
    [TestCase("1", 1)]
    [TestCase("30", 30)]
    [TestCase("007", 7)]
    [TestCase("36500", 36500)]
    public void Day_ranges_from_0_to_36500_are_read(string text, int days)
    {
        MetricWindow.Parse(null, null, text, null).DayRange.ShouldBe(days);
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
    public void Other_day_ranges_are_refused(string dayRange)
    {
        var invalid = Should.Throw<RequestValidationException>(() => MetricWindow.Parse(null, null, dayRange, null));

        Errors(invalid).ShouldBe([("day_range", DayRangeMessage)]);
    }

    [Test]
    public void A_day_range_out_of_range_is_reported_with_a_malformed_date()
    {
        var invalid = Should.Throw<RequestValidationException>(() => MetricWindow.Parse("yesterday", null, "36501", null));

        Errors(invalid).ShouldBe([("start_date", "start_date " + DateMessage), ("day_range", DayRangeMessage)]);
    }

    private static (string Field, string Message)[] Errors(RequestValidationException invalid) =>
        [.. invalid.Errors.SelectMany(e => e.Value.Select(message => (e.Key, message)))];
}
