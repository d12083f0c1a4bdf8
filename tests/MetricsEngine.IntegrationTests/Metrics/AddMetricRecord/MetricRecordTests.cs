using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Metrics.AddMetricRecord;

/// <summary>
/// POST /metrics/{id}/metric-records and GET of the record it answers with, through HTTP against
/// PostgreSQL.
/// </summary>
public sealed class MetricRecordTests : ApiFixture
{
    protected override HttpClient CreateClient() => Api.CreateClient(Api.Cognito.UserToken("alice", "metrics-writers"));

    [Test]
    public async Task A_record_posted_without_a_date_is_dated_now_and_shows_at_once()
    {
        var id = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "anything at all", "title": "Now and here" }""");

        (await Client.PostJsonAsync($"/metrics/{id}/metric-records", """{ "parts_flagged": 7 }""")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var metric = (await Client.GetJsonAsync($"/metrics/{id}"))!;
        var row = metric["records"]!.AsArray().ShouldHaveSingleItem()!;
        row["parts_flagged"]!.GetValue<int>().ShouldBe(7);
        DateTimeOffset.Parse(row["date"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [TestCase("""{ "parts_flagged": 1.5 }""", "parts_flagged: must be a whole number from -2147483648 to 2147483647.")]
    [TestCase("""{ "obsolescence": "12" }""", "obsolescence: must be a number.")]
    [TestCase("""{ "alert_type": 5 }""", "alert_type: must be text.")]
    [TestCase("""{ "parts_flagged": 1, "date": "03/06/2025" }""", "date: date must be an ISO 8601 date such as 2025-06-03T00:00:00 (UTC unless an offset is given).")]
    [TestCase("""{ "parts_flagged": 1, "metric_id": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11" }""", "metric_id: 'metric_id' is not a field this request accepts.")]
    [TestCase("""{ "parts_flagged": 1, "idempotency_key": "k1" }""", "idempotency_key: 'idempotency_key' is not a field this request accepts.")]
    public async Task A_bad_record_is_a_400_naming_the_field(string body, string error)
    {
        var id = await Client.CreateMetricAsync($$"""{ "is_editable": true, "layouts": [], "query_generation_prompt": "records {{Guid.NewGuid()}}" }""");

        var response = await Client.PostJsonAsync($"/metrics/{id}/metric-records", body);

        (await response.FieldErrorsAsync()).ShouldBe([error]);
    }

    [Test]
    public async Task A_posted_record_answers_with_its_own_location_where_readers_find_it_as_stored()
    {
        var id = await Client.CreateMetricAsync($$"""{ "is_editable": true, "layouts": [], "query_generation_prompt": "records {{Guid.NewGuid()}}" }""");

        var posted = await Client.PostJsonAsync($"/metrics/{id}/metric-records", """
            { "date": "2025-06-03T02:00:00+02:00", "obsolescence": 120.5, "parts_flagged": 3, "alert_type": "Critical" }
            """);
        var recordId = (await posted.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        using var reader = Api.CreateClient(Api.Cognito.UserToken("rita", "metrics-readers"));
        var record = await (await reader.GetAsync(posted.Headers.Location)).ReadJsonAsync(HttpStatusCode.OK);

        posted.Headers.Location!.ToString().ShouldBe($"/metrics/{id}/metric-records/{recordId}");
        var createdAt = record["created_at"]!.GetValue<DateTimeOffset>();
        createdAt.ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        record.AsObject().Remove("created_at");
        record.ToJsonString().ShouldBe(
            $$"""{"id":"{{recordId}}","metric_id":"{{id}}","date":"2025-06-03T00:00:00Z","obsolescence":120.5,"obsolescence_val":null,"parts_flagged":3,"alert_type":"Critical","alert_category":null}""");
    }

    [Test]
    public async Task A_record_is_found_only_through_a_live_metric_that_reads_it()
    {
        var id = await Client.CreateMetricAsync($$"""{ "is_editable": true, "layouts": [], "query_generation_prompt": "records {{Guid.NewGuid()}}" }""");
        var other = await Client.CreateMetricAsync($$"""{ "is_editable": true, "layouts": [], "query_generation_prompt": "records {{Guid.NewGuid()}}" }""");
        var recordId = (await (await Client.PostJsonAsync($"/metrics/{id}/metric-records", """{ "parts_flagged": 1 }""")).ReadJsonAsync(HttpStatusCode.Created))["id"]!;

        var throughOther = await Client.GetAsync($"/metrics/{other}/metric-records/{recordId}");
        var unknown = await Client.GetAsync($"/metrics/{id}/metric-records/{Guid.NewGuid()}");
        var malformed = await Client.GetAsync($"/metrics/{id}/metric-records/latest");
        var anonymous = await Api.CreateClient(token: null).GetAsync($"/metrics/{id}/metric-records/{recordId}");
        (await Client.DeleteAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var deleted = await Client.GetAsync($"/metrics/{id}/metric-records/{recordId}");

        (await throughOther.ReadJsonAsync(HttpStatusCode.NotFound))["detail"]!.GetValue<string>().ShouldBe($"Metric {other} has no record {recordId}.");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await malformed.FieldErrorsAsync()).ShouldBe(["recordId: 'latest' is not a record id: record ids are UUIDs, as POST .../metric-records answers."]);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        deleted.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
