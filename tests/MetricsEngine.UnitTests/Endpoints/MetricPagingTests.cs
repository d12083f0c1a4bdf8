using MetricsEngine.Application.Metrics.ListMetrics;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Endpoints;

namespace MetricsEngine.UnitTests.Endpoints;

public sealed class MetricPagingTests
{
    private const string PageMessage = "page must be a whole number from 1.";
    private const string PageSizeMessage = "page_size must be a whole number from 1 to 200.";

    [Test]
    public void No_paging_reads_as_the_defaults_left_to_the_use_case()
    {
        MetricPaging.Parse(null, null).ShouldBe(new ListMetricsQuery(null, null));
    }

    [TestCase("1", "1", 1, 1)]
    [TestCase("3", "200", 3, 200)]
    [TestCase("2147483647", "50", int.MaxValue, 50)]
    [TestCase(" 2 ", "+10", 2, 10)]
    public void Whole_numbers_in_range_are_read(string page, string pageSize, int expectedPage, int expectedSize)
    {
        MetricPaging.Parse(page, pageSize).ShouldBe(new ListMetricsQuery(expectedPage, expectedSize));
    }

    [TestCase("0", null, "page")]
    [TestCase("-1", null, "page")]
    [TestCase("2147483648", null, "page")]
    [TestCase("1.5", null, "page")]
    [TestCase("one", null, "page")]
    [TestCase("", null, "page")]
    [TestCase(null, "0", "page_size")]
    [TestCase(null, "201", "page_size")]
    [TestCase(null, "ten", "page_size")]
    public void Other_values_are_refused_naming_their_parameter(string? page, string? pageSize, string field)
    {
        var invalid = Should.Throw<RequestValidationException>(() => MetricPaging.Parse(page, pageSize));

        Errors(invalid).ShouldBe([(field, field == "page" ? PageMessage : PageSizeMessage)]);
    }

    [Test]
    public void A_page_size_out_of_range_is_reported_with_a_malformed_page()
    {
        var invalid = Should.Throw<RequestValidationException>(() => MetricPaging.Parse("first", "500"));

        Errors(invalid).ShouldBe([("page", PageMessage), ("page_size", PageSizeMessage)]);
    }

    private static (string Field, string Message)[] Errors(RequestValidationException invalid) =>
        [.. invalid.Errors.SelectMany(e => e.Value.Select(message => (e.Key, message)))];
}
