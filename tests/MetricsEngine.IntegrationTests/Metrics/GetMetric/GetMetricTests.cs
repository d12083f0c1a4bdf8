using System.Net;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Metrics.GetMetric;

/// <summary>
/// GET /metrics/{id} through HTTP against PostgreSQL (docs/product.md#reading-a-metric): what
/// ReadingAMetric.feature, the reference for its windows, layouts and refusals, does not state.
/// </summary>
public sealed class GetMetricTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

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
    public async Task Values_keep_their_json_types_dates_as_days_and_timestamps_as_iso_8601()
    {
        var metric = await GetAsync($"/metrics/{SampleMetrics.RawRecords}");

        metric["records"]!.ToJsonString().ShouldBe(
            """[{"date":"2025-06-03T10:30:00Z","obsolescence":12.5,"parts_flagged":3,"alert_type":"Critical","day":"2025-06-03"},""" +
            """{"date":"2025-06-04T00:00:00Z","obsolescence":null,"parts_flagged":1,"alert_type":null,"day":"2025-06-04"}]""");
        metric["truncated"]!.GetValue<bool>().ShouldBeFalse();
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

    private static IEnumerable<string> Days(JsonNode metric) =>
        metric["records"]!.AsArray().Select(r => r!["day"]!.GetValue<string>());

    private async Task<JsonNode> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }
}
