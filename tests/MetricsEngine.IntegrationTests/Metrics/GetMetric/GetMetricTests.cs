using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Metrics.GetMetric;

/// <summary>GET /metrics/{id} through HTTP against PostgreSQL (docs/product.md#reading-a-metric).</summary>
public sealed class GetMetricTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    [Test]
    public async Task Without_parameters_the_querys_literal_window_applies()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.AlertsByType}");

        Rows(metric).ShouldBe(["Critical=2", "Info=1", "Warning=2"]);
        metric["title"]!.GetValue<string>().ShouldBe("Alerts by type");
        metric["is_editable"]!.GetValue<bool>().ShouldBeFalse();
        metric["parameters"]!["start_date"]!.ToJsonString().ShouldBe("""{"applicable":true,"value":"2025-06-01","default":"2025-06-01"}""");
        metric["parameters"]!["end_date"]!.ToJsonString().ShouldBe("""{"applicable":true,"value":"2025-06-30","default":"2025-06-30"}""");
    }

    [Test]
    public async Task Start_and_end_date_narrow_the_window()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-06-01&end_date=2025-06-04");

        Rows(metric).ShouldBe(["Critical=1", "Warning=1"]);
        metric["parameters"]!["end_date"]!["value"]!.GetValue<string>().ShouldBe("2025-06-04");
        metric["parameters"]!["end_date"]!["default"]!.GetValue<string>().ShouldBe("2025-06-30");
    }

    [Test]
    public async Task Start_and_end_date_can_also_widen_the_window()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-05-01&end_date=2025-07-31");

        Rows(metric).ShouldBe(["Critical=3", "Info=1", "Warning=3"]);
    }

    [Test]
    public async Task As_of_moves_current_date()
    {
        var lateJune = await GetAsync($"/metrics/{SampleMetrics.CostAvoided}?as_of=2025-06-30");
        var lateJuly = await GetAsync($"/metrics/{SampleMetrics.CostAvoided}?as_of=2025-07-25");

        // The query keeps dates on or after CURRENT_DATE - 30 days.
        Days(lateJune).ShouldBe(["2025-06-01", "2025-06-10", "2025-06-22", "2025-06-28"]);
        Days(lateJuly).ShouldBe(["2025-06-28"]);
        lateJune["parameters"]!["as_of"]!["value"]!.GetValue<string>().ShouldBe("2025-06-30");
    }

    [Test]
    public async Task As_of_defaults_to_today_so_old_records_fall_outside_the_last_30_days()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.CostAvoided}");

        metric["records"]!.AsArray().ShouldBeEmpty();
        metric["parameters"]!["as_of"]!["value"]!.GetValue<string>().ShouldBe(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        metric["parameters"]!["day_range"]!.ToJsonString().ShouldBe("""{"applicable":true,"value":30,"default":30}""");
    }

    [Test]
    public async Task Day_range_overrides_the_literal_interval()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.CostAvoided}?as_of=2025-06-30&day_range=10");

        Days(metric).ShouldBe(["2025-06-22", "2025-06-28"]);
        metric["records"]![0]!["cost_avoided"]!.GetValue<decimal>().ShouldBe(99.99m);
    }

    [Test]
    public async Task A_parameter_the_query_does_not_use_is_ignored_and_reported_as_not_applicable()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.AlertsByType}?day_range=5&as_of=2024-01-01");

        Rows(metric).ShouldBe(["Critical=2", "Info=1", "Warning=2"]);
        metric["parameters"]!["day_range"]!.ToJsonString().ShouldBe("""{"applicable":false,"value":5,"default":null}""");
        metric["parameters"]!["as_of"]!["applicable"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Test]
    public async Task Values_keep_their_json_types_dates_as_days_and_timestamps_as_iso_8601()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.RawRecords}");

        metric["records"]!.ToJsonString().ShouldBe(
            """[{"date":"2025-06-03T10:30:00Z","obsolescence":12.5,"parts_flagged":3,"alert_type":"Critical","day":"2025-06-03"},""" +
            """{"date":"2025-06-04T00:00:00Z","obsolescence":null,"parts_flagged":1,"alert_type":null,"day":"2025-06-04"}]""");
        metric["truncated"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Test]
    public async Task The_layout_comes_back_per_breakpoint_with_static_as_it_was_given()
    {
        var alerts = await GetAsync($"/metrics/{SampleMetrics.AlertsByType}");
        var raw = await GetAsync($"/metrics/{SampleMetrics.RawRecords}");

        alerts["layouts"]!.ToJsonString().ShouldBe(
            """[{"breakpoint":"lg","x":5,"y":0,"w":5,"h":4,"static":true},{"breakpoint":"md","x":0,"y":4,"w":1,"h":4,"static":null}]""");
        raw["layouts"]!.ToJsonString().ShouldBe("""[{"breakpoint":"lg","x":0,"y":9999999,"w":10,"h":3,"static":null}]""");
    }

    [Test]
    public async Task Start_date_after_end_date_is_a_400_naming_the_field()
    {
        var problem = await ProblemAsync($"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-06-10&end_date=2025-06-04", HttpStatusCode.BadRequest);

        problem["errors"]!["start_date"]![0]!.GetValue<string>().ShouldBe("start_date 2025-06-10 is after end_date 2025-06-04.");
    }

    [Test]
    public async Task Start_date_after_the_querys_default_end_date_is_a_400_too()
    {
        var problem = await ProblemAsync($"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-07-15", HttpStatusCode.BadRequest);

        problem["detail"]!.GetValue<string>().ShouldBe("start_date 2025-07-15 is after end_date 2025-06-30.");
    }

    [TestCase("start_date=2025-13-01", "start_date")]
    [TestCase("end_date=yesterday", "end_date")]
    [TestCase("as_of=2025-6-1", "as_of")]
    [TestCase("day_range=-1", "day_range")]
    [TestCase("day_range=36501", "day_range")]
    [TestCase("day_range=1.5", "day_range")]
    [TestCase("startdate=2025-06-01", "startdate")]
    public async Task Malformed_parameters_are_a_400_naming_the_field(string query, string field)
    {
        var problem = await ProblemAsync($"/metrics/{SampleMetrics.AlertsByType}?{query}", HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe([field]);
    }

    [Test]
    public async Task A_parameter_given_twice_is_a_400_saying_so()
    {
        var problem = await ProblemAsync(
            $"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-06-01&start_date=2025-06-02", HttpStatusCode.BadRequest);

        problem["errors"]!["start_date"]![0]!.GetValue<string>().ShouldBe("'start_date' is given 2 times; give it once.");
    }

    [Test]
    public async Task A_metric_id_that_is_not_a_uuid_is_a_400()
    {
        var problem = await ProblemAsync("/metrics/not-a-uuid", HttpStatusCode.BadRequest);

        problem["errors"]!["id"]![0]!.GetValue<string>().ShouldStartWith("'not-a-uuid' is not a metric id");
    }

    [Test]
    public async Task An_unknown_metric_is_a_404_problem()
    {
        var problem = await ProblemAsync("/metrics/00000000-0000-4000-8000-000000000001", HttpStatusCode.NotFound);

        problem["title"]!.GetValue<string>().ShouldBe("Metric not found");
        problem["detail"]!.GetValue<string>().ShouldBe("Metric '00000000-0000-4000-8000-000000000001' was not found.");
    }

    [Test]
    public async Task Without_a_token_it_is_a_401_problem_with_a_bearer_challenge()
    {
        using var anonymous = Api.CreateClient(token: null);

        var response = await anonymous.GetAsync($"/metrics/{SampleMetrics.AlertsByType}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Test]
    public async Task Every_call_is_logged_once_as_endpoint_called_with_its_parameters_in_scope()
    {
        Api.Logs.Clear();

        await GetAsync($"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-06-02");

        var called = Api.Logs.WithTemplate("Endpoint called").ShouldHaveSingleItem();
        LogCapture.Scalar(called, "Operation").ShouldBe("GetMetric");
        LogCapture.Scalar(called, "id").ShouldBe(SampleMetrics.AlertsByType);
        LogCapture.Scalar(called, "start_date").ShouldBe("2025-06-02");
    }

    private static IEnumerable<string> Rows(JsonNode metric) =>
        metric["records"]!.AsArray().Select(r => $"{r!["alert_type"]}={r["total_alerts"]}");

    private static IEnumerable<string> Days(JsonNode metric) =>
        metric["records"]!.AsArray().Select(r => r!["day"]!.GetValue<string>());

    private async Task<JsonNode> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    private async Task<JsonNode> ProblemAsync(string path, HttpStatusCode status)
    {
        var response = await Client.GetAsync(path);
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        problem["status"]!.GetValue<int>().ShouldBe((int)status);
        problem["traceId"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        return problem;
    }
}
