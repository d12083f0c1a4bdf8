using System.Net;
using System.Text;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Operability;

/// <summary>
/// Inputs that used to end in a 500: each is now a clear 4xx problem, stores nothing, and never
/// names the API's internal types.
/// </summary>
public sealed class MalformedInputTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    [TestCase("page=2147483647")]
    [TestCase("page=2147483647&page_size=200")]
    [TestCase("page=10737419&page_size=200")]
    public async Task A_page_past_the_end_is_an_empty_page_whatever_its_number(string query)
    {
        var page = await (await Client.GetAsync($"/metrics?{query}")).ReadJsonAsync(HttpStatusCode.OK);

        page["items"]!.AsArray().ShouldBeEmpty();
        page["total"]!.GetValue<int>().ShouldBe(3);
    }

    [TestCase("alert_type")]
    [TestCase("alert_category")]
    public async Task A_nul_character_in_a_record_is_a_400_naming_the_field(string field)
    {
        var before = await RecordCountAsync();

        var response = await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", $$"""{ "{{field}}": "Crit\u0000ical" }""");

        (await response.FieldErrorsAsync()).ShouldBe([$"{field}: must not contain the NUL character (U+0000)."]);
        (await RecordCountAsync()).ShouldBe(before);
    }

    [TestCase("""{ "title": "T\u0000", "is_editable": true, "layouts": [], "query": "SELECT 1 AS n" }""", "title")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query": "SELECT 1 AS n -- \u0000" }""", "query")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "alerts\u0000 in June 2025" }""", "query_generation_prompt")]
    [TestCase("""{ "is_editable": true, "layouts": [ { "breakpoint": "l\u0000g", "x": 0, "y": 0, "w": 1, "h": 1 } ], "query": "SELECT 1 AS n" }""", "layouts[0].breakpoint")]
    public async Task A_nul_character_anywhere_in_a_definition_is_a_400_naming_the_field(string body, string field)
    {
        var response = await Client.PostJsonAsync("/metrics", body);

        (await response.FieldErrorsAsync()).ShouldBe([$"{field}: must not contain the NUL character (U+0000)."]);
    }

    [TestCase("application/json; charset=bogus")]
    [TestCase("application/json; charset=latin1")]
    [TestCase("application/json; charset=\"utf-16\"")]
    [TestCase("application/json; charset=utf8")]
    [TestCase("application/json; charset=\"utf-8\"")]
    public async Task A_body_in_a_charset_other_than_utf8_is_415(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/metrics/{SampleMetrics.RawRecords}/metric-records")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{ "parts_flagged": 1 }""")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.SendAsync(request);

        var problem = await response.ReadJsonAsync(HttpStatusCode.UnsupportedMediaType);
        problem["detail"]!.GetValue<string>().ShouldContain("UTF-8");
    }

    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/json; charset=UTF-8")]
    public async Task Utf8_declared_either_way_is_accepted(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/metrics/{SampleMetrics.RawRecords}/metric-records")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{ "parts_flagged": 1 }""")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        (await Client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [TestCase("0001-01-01T00:00:00+14:00")]
    [TestCase("0001-01-01T13:59:59+14:00")]
    [TestCase("9999-12-31T23:00:00-05:00")]
    public async Task A_record_date_outside_the_range_once_in_utc_is_a_400_not_another_day(string date)
    {
        var before = await RecordCountAsync();

        var response = await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", $$"""{ "date": "{{date}}", "parts_flagged": 1 }""");

        (await response.FieldErrorsAsync()).ShouldBe(["date: date is outside the range of dates that can be stored (0001-01-01 to 9999-12-31 once converted to UTC)."]);
        (await RecordCountAsync()).ShouldBe(before);
    }

    [Test]
    public async Task The_last_representable_instants_are_stored()
    {
        var response = await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", """{ "date": "0001-01-01T14:00:00+14:00", "parts_flagged": 1 }""");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [TestCase("[1]")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("null")]
    public async Task A_body_that_is_not_an_object_says_so_without_naming_internal_types(string body)
    {
        var response = await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", body);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        text.ShouldNotContain("MetricsEngine.");
        text.ShouldNotContain("System.");
        text.ShouldNotContain("Command");
    }

    [TestCase("/metrics", """{ "layouts": "x" }""")]
    [TestCase("/metrics", """{ "layouts": [ 1 ] }""")]
    [TestCase("/metrics", """{ "layouts": [ { "x": {} } ] }""")]
    [TestCase("/metrics", """{ "is_editable": [] }""")]
    [TestCase("/metrics/" + SampleMetrics.RawRecords + "/metric-records", """{ "date": 5 }""")]
    [TestCase("/metrics/" + SampleMetrics.RawRecords + "/metric-records", """{ "alert_type": {"a":1} }""")]
    public async Task Wrong_types_name_the_field_and_never_an_internal_type(string path, string body)
    {
        var response = await Client.PostJsonAsync(path, body);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        text.ShouldNotContain("MetricsEngine.");
        text.ShouldNotContain("System.");
    }

    private Task<long> RecordCountAsync() => Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_records");
}
