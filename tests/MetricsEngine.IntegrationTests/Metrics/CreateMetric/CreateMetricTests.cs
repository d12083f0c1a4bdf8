using System.Net;
using System.Text;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Metrics.CreateMetric;

/// <summary>POST /metrics through HTTP against PostgreSQL; the records posted to a metric are MetricRecordTests'.</summary>
public sealed class CreateMetricTests : ApiFixture
{
    private const string TwoLayouts = """
        [ { "breakpoint": "lg", "x": 0, "y": 20, "w": 5, "h": 4, "static": false },
          { "breakpoint": "md", "x": 0, "y": 10, "w": 1, "h": 4, "static": null } ]
        """;

    protected override HttpClient CreateClient() => Api.CreateClient(Api.Cognito.UserToken("alice", "metrics-writers"));

    [Test]
    public async Task Seed_scenario_a_metric_from_an_unknown_prompt_shows_both_layouts_and_the_record_posted_to_it()
    {
        var created = await Client.PostJsonAsync("/metrics", $$"""
            { "is_editable": true, "layouts": {{TwoLayouts}}, "query_generation_prompt": "shut up and dance" }
            """);
        var id = (await created.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().ShouldBe($"/metrics/{id}");

        var record = await Client.PostJsonAsync($"/metrics/{id}/metric-records", """
            { "date": "2026-11-24T08:15:00Z", "obsolescence": 120.5, "obsolescence_val": 12.05, "parts_flagged": 3,
              "alert_type": "Critical", "alert_category": "Need Approval" }
            """);
        var recordId = (await record.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();

        var metric = (await Client.GetJsonAsync($"/metrics/{id}?as_of=2026-11-25"))!;
        metric["title"]!.GetValue<string>().ShouldBe("Shut up and dance");
        metric["layouts"]!.ToJsonString().ShouldBe(
            """[{"breakpoint":"lg","x":0,"y":20,"w":5,"h":4,"static":false},{"breakpoint":"md","x":0,"y":10,"w":1,"h":4,"static":null}]""");
        metric["records"]!.ToJsonString().ShouldBe(
            """[{"date":"2026-11-24T08:15:00Z","obsolescence":120.5,"obsolescence_val":12.05,"parts_flagged":3,"alert_type":"Critical","alert_category":"Need Approval"}]""");
        recordId.ShouldNotBe(Guid.Empty);
    }

    [Test]
    public async Task Titles_are_unique_among_live_metrics_ignoring_case_and_a_deleted_metric_frees_its_title()
    {
        var first = await Client.CreateMetricAsync("""{ "title": "Daily savings", "is_editable": true, "layouts": [], "query_generation_prompt": "cost avoided per day" }""");

        var clash = await Client.PostJsonAsync("/metrics", """{ "title": "DAILY Savings", "is_editable": true, "layouts": [], "query": "SELECT 1 AS one" }""");
        (await clash.ReadJsonAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>()
            .ShouldBe("Another metric is already titled \"DAILY Savings\"; choose another title.");

        (await Client.DeleteAsync($"/metrics/{first}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Client.PostJsonAsync("/metrics", """{ "title": "DAILY Savings", "is_editable": true, "layouts": [], "query": "SELECT 1 AS one" }"""))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Test]
    public async Task A_derived_title_that_is_taken_gets_a_number_instead_of_a_conflict()
    {
        var first = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "Total parts flagged this year" }""");
        var second = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "total parts flagged  this year" }""");
        var untitled = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query": "SELECT 1 AS one" }""");
        var untitledToo = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query": "SELECT 2 AS two" }""");

        (await Client.GetJsonAsync($"/metrics/{first}/definition"))!["title"]!.GetValue<string>().ShouldBe("Total parts flagged this year");
        (await Client.GetJsonAsync($"/metrics/{second}/definition"))!["title"]!.GetValue<string>().ShouldBe("Total parts flagged this year (2)");
        var untitledTitles = new[] { untitled, untitledToo }.Select(async id => (await Client.GetJsonAsync($"/metrics/{id}/definition"))!["title"]!.GetValue<string>());
        var titles = await Task.WhenAll(untitledTitles);
        titles.ShouldAllBe(t => t.StartsWith("Untitled metric", StringComparison.Ordinal));
        titles.Distinct().Count().ShouldBe(2);
    }

    [TestCase("DELETE FROM metrics", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'DELETE'.")]
    [TestCase("WITH gone AS (DELETE FROM metric_records RETURNING *) SELECT count(*) FROM gone", "Writes are not allowed: a metric's query may only read, but this one contains DELETE.")]
    [TestCase("SELECT 1; DROP TABLE queries", "Only one statement is allowed: remove everything after the first ';'.")]
    [TestCase("SELECT * FROM public.metric_records", "Only the metrics view can be read: public.metric_records")]
    [TestCase("SELECT rolpassword FROM pg_authid", "Only the metrics view can be read: pg_catalog.pg_authid")]
    [TestCase("SELECT pg_read_file('/etc/passwd')", "Function not allowed: pg_read_file(text)")]
    [TestCase("COPY (SELECT 1) TO '/tmp/x'", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'COPY'.")]
    [TestCase("SET ROLE postgres", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'SET'.")]
    [TestCase("SELECT set_config('transaction_read_only', 'off', true)", "Function not allowed: set_config(text,text,boolean)")]
    [TestCase("SELECT alert_type, FROM metrics", "Syntax error: syntax error at or near \"FROM\"")]
    [TestCase("SELECT colour FROM metrics", "Unknown column: column \"colour\" does not exist. The metrics view has id, date, obsolescence, obsolescence_val, parts_flagged, alert_type and alert_category")]
    public async Task Sql_refused_by_the_allowlist_check_is_a_422_with_the_reason_and_nothing_is_stored(string sql, string reason)
    {
        var before = await Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_definitions");

        var response = await Client.PostJsonAsync("/metrics",
            $$"""{ "is_editable": true, "layouts": [], "query": {{System.Text.Json.JsonSerializer.Serialize(sql)}} }""");

        var problem = await response.ReadJsonAsync(HttpStatusCode.UnprocessableEntity);
        problem["title"]!.GetValue<string>().ShouldBe("Query rejected");
        problem["detail"]!.GetValue<string>().ShouldBe(reason);
        (await Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_definitions")).ShouldBe(before);
    }

    [TestCase("""{ "is_editable": true, "layouts": [], "query": "SELECT 1", "idempotency_key": "k1" }""", "idempotency_key: 'idempotency_key' is not a field this request accepts.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 0, "w": 1, "h": 1, "i": "x" }], "query": "SELECT 1" }""", "layouts[0].i: 'i' is not a field this request accepts.")]
    [TestCase("""{ "is_editable": true, "layouts": {}, "query": "SELECT 1" }""", "layouts: must be an array of layout objects.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": "0", "y": 0, "w": 1, "h": 1 }], "query": "SELECT 1" }""", "layouts[0].x: must be a whole number from -2147483648 to 2147483647.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 1.5, "y": 0, "w": 1, "h": 1 }], "query": "SELECT 1" }""", "layouts[0].x: must be a whole number from -2147483648 to 2147483647.")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query": 42 }""", "query: must be text.")]
    [TestCase("""{ "is_editable": true, "query": "SELECT 1" }""", "layouts: layouts is required (an array, possibly empty).")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "   " }""", "query_generation_prompt: query_generation_prompt must not be blank.")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query": "SELECT 1", "title": " " }""", "title: title must not be blank; leave it out to derive one.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": -1, "y": 0, "w": 1, "h": 1 }], "query": "SELECT 1" }""", "layouts[0].x: x must be between 0 and 10000.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 0, "w": 1, "h": 0 }], "query": "SELECT 1" }""", "layouts[0].h: h must be between 1 and 1000.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 0, "w": 1 }], "query": "SELECT 1" }""", "layouts[0].h: h is required.")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "x": 0, "y": 0, "w": 1, "h": 1 }], "query": "SELECT 1" }""", "layouts[0].breakpoint: breakpoint is required, e.g. \"lg\".")]
    [TestCase("""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 0, "w": 1, "h": 1 }, { "breakpoint": "lg", "x": 1, "y": 0, "w": 1, "h": 1 }], "query": "SELECT 1" }""", "layouts: Each breakpoint may have one layout only.")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query": "SELECT 1" """, "body: The body is not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    public async Task Bad_input_is_a_400_naming_each_field(string body, string error)
    {
        var response = await Client.PostJsonAsync("/metrics", body);

        (await response.FieldErrorsAsync()).ShouldContain(error);
    }

    [Test]
    public async Task Several_problems_are_reported_together()
    {
        var response = await Client.PostJsonAsync("/metrics", """
            { "layouts": [{ "breakpoint": "lg", "x": -1, "y": 0, "w": 0, "h": 1 }] }
            """);

        (await response.FieldErrorsAsync()).Count.ShouldBe(4);
    }

    [Test]
    public async Task The_bottom_sentinel_y_is_accepted()
    {
        var id = await Client.CreateMetricAsync("""
            { "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 9999999, "w": 3, "h": 2 }], "query": "SELECT 1 AS one" }
            """);

        (await Client.GetJsonAsync($"/metrics/{id}"))!["layouts"]![0]!["y"]!.GetValue<int>().ShouldBe(9_999_999);
    }

    [Test]
    public async Task A_body_over_one_megabyte_is_a_413_whether_its_length_is_declared_or_chunked()
    {
        var huge = $$"""{ "is_editable": true, "layouts": [], "query": "SELECT 1 -- {{new string('x', 1_100_000)}}" }""";

        var declared = await Client.PostJsonAsync("/metrics", huge);
        var chunked = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/metrics")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))) { Headers = { ContentType = new("application/json") } },
        });

        (await declared.ReadJsonAsync(HttpStatusCode.RequestEntityTooLarge))["title"]!.GetValue<string>().ShouldBe("Request body too large");
        chunked.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task No_body_is_a_400_and_a_body_that_is_not_json_a_415()
    {
        var empty = await Client.PostAsync("/metrics", content: null);
        var text = await Client.PostAsync("/metrics", new StringContent("hello", Encoding.UTF8, "text/plain"));

        (await empty.FieldErrorsAsync()).ShouldBe(["body: A JSON body is required."]);
        text.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }
}
