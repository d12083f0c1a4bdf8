using System.Net;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Metrics.UpdateMetric;

/// <summary>Definition, update, delete, versions and rollback of a metric, through HTTP against PostgreSQL (the list: ListMetricsTests).</summary>
public sealed class MetricLifecycleTests : ApiFixture
{
    private const string Layout = """[{ "breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 2 }]""";

    protected override HttpClient CreateClient() => Api.CreateClient(Api.Cognito.UserToken("alice", "metrics-writers"));

    [Test]
    public async Task The_definition_carries_its_version_as_a_strong_etag_and_if_none_match_gives_304()
    {
        var id = await CreateAsync("Parts flagged per day in June 2025");

        var response = await Client.GetAsync($"/metrics/{id}/definition");
        var definition = await response.ReadJsonAsync(HttpStatusCode.OK);
        var again = new HttpRequestMessage(HttpMethod.Get, $"/metrics/{id}/definition");
        again.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        var notModified = await Client.SendAsync(again);

        response.Headers.ETag!.ToString().ShouldBe("\"1\"");
        definition["version"]!.GetValue<int>().ShouldBe(1);
        definition["query_id"]!.GetValue<string>().ShouldBe($"q_{id:N}");
        definition["parameters"]!.ToJsonString().ShouldBe(
            """[{"name":"start_date","type":"date","default_value":"2025-06-01"},{"name":"end_date","type":"date","default_value":"2025-06-30"}]""");
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    // The id comes from the route and the versions from If-Match: in the body they are unknown
    // fields, refused like any other rather than silently dropped.
    [TestCase("id", "\"c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11\"")]
    [TestCase("expected_versions", "[1]")]
    public async Task A_field_the_route_or_a_header_carries_is_refused_in_the_body(string field, string value)
    {
        var id = await CreateAsync("Total parts flagged this month");

        var response = await Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}",
            $$"""{ "is_editable": true, "layouts": [], "{{field}}": {{value}} }""", ifMatch: "\"1\"");

        (await response.FieldErrorsAsync()).ShouldBe([$"{field}: '{field}' is not a field this request accepts."]);
    }

    [TestCase("*", HttpStatusCode.OK)]
    [TestCase("\"7\", \"1\"", HttpStatusCode.OK)]
    [TestCase("W/\"1\"", HttpStatusCode.PreconditionFailed)]
    [TestCase("\"one\"", HttpStatusCode.PreconditionFailed)]
    [TestCase("garbage", HttpStatusCode.PreconditionFailed)]
    public async Task If_match_follows_rfc_9110(string ifMatch, HttpStatusCode expected)
    {
        var id = await CreateAsync($"Alerts by category {Guid.NewGuid():N}");

        var response = await Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}", UpdateBody(x: 2), ifMatch);

        response.StatusCode.ShouldBe(expected);
    }

    [Test]
    public async Task An_update_that_changes_nothing_keeps_the_version()
    {
        var id = await CreateAsync("Parts flagged today");
        await UpdateLayoutAsync(id, x: 0);

        (await Client.GetJsonAsync($"/metrics/{id}/definition"))!["version"]!.GetValue<int>().ShouldBe(1);
    }

    [Test]
    public async Task Delete_hides_the_metric_and_restore_brings_back_the_version_asked_for()
    {
        var id = await CreateAsync("Daily cost avoided in June 2025");
        await UpdateLayoutAsync(id, x: 5);

        (await Client.DeleteAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Client.GetAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Client.GetAsync($"/metrics/{id}/definition")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ListedIdsAsync()).ShouldNotContain(id);

        var restore = await Client.PostAsync($"/metrics/{id}/versions/1/restore", content: null);

        var definition = await restore.ReadJsonAsync(HttpStatusCode.OK);
        restore.Headers.ETag!.ToString().ShouldBe("\"4\"");
        definition["version"]!.GetValue<int>().ShouldBe(4);
        definition["layouts"]![0]!["x"]!.GetValue<int>().ShouldBe(0);
        (await Client.GetAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ListedIdsAsync()).ShouldContain(id);
    }

    [Test]
    public async Task Update_and_restore_answer_with_the_updated_at_they_stored()
    {
        var id = await CreateAsync("Total obsolescence in May 2025");
        var created = UpdatedAt(await Client.GetJsonAsync($"/metrics/{id}/definition"));
        await Task.Delay(10);

        var updated = UpdatedAt(await (await Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}", UpdateBody(x: 7))).ReadJsonAsync(HttpStatusCode.OK));
        var afterUpdate = UpdatedAt(await Client.GetJsonAsync($"/metrics/{id}/definition"));
        await Task.Delay(10);
        (await Client.DeleteAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Task.Delay(10);
        var restored = UpdatedAt(await (await Client.PostAsync($"/metrics/{id}/versions/1/restore", content: null)).ReadJsonAsync(HttpStatusCode.OK));
        var afterRestore = UpdatedAt(await Client.GetJsonAsync($"/metrics/{id}/definition"));

        updated.ShouldBeGreaterThan(created);
        updated.ShouldBe(afterUpdate);
        restored.ShouldBeGreaterThan(updated);
        restored.ShouldBe(afterRestore);
    }

    [Test]
    public async Task Every_change_is_a_version_with_who_when_and_what()
    {
        var id = await CreateAsync("Monthly parts flagged in 2025");
        await UpdateLayoutAsync(id, x: 6);
        using var bob = Api.CreateClient(Api.Cognito.Token(t => t with { Scopes = ["api/metrics.write"] }));
        await bob.DeleteAsync($"/metrics/{id}");
        await Client.PostAsync($"/metrics/{id}/versions/2/restore", content: null);

        var versions = (await Client.GetJsonAsync($"/metrics/{id}/versions"))!.AsArray();

        versions.Select(v => $"{v!["version"]} {v["changed_by"]} {v["change"]}").ShouldBe(
        [
            "1 alice created from a prompt",
            "2 alice layouts changed",
            $"3 client:{TestCognito.ClientId} deleted",
            "4 alice restored version 2: undeleted",
        ]);
        versions.Select(v => DateTimeOffset.Parse(v!["changed_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBeInOrder(SortDirection.Ascending);
    }

    [Test]
    public async Task Restoring_a_version_whose_title_another_metric_took_meanwhile_is_a_409()
    {
        var id = await Client.CreateMetricAsync($$"""{ "title": "Headline", "is_editable": true, "layouts": {{Layout}}, "query": "SELECT 1 AS one" }""");
        await Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}", $$"""{ "title": "Renamed", "is_editable": true, "layouts": {{Layout}} }""");
        await Client.CreateMetricAsync($$"""{ "title": "headline", "is_editable": true, "layouts": [], "query": "SELECT 2 AS two" }""");

        var restore = await Client.PostAsync($"/metrics/{id}/versions/1/restore", content: null);

        restore.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Concurrent_updates_never_lose_one_each_either_lands_as_a_version_or_is_told_to_retry()
    {
        var id = await CreateAsync("Peak obsolescence value per week in 2025");

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(x =>
            Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}", UpdateBody(x: x))));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
        var applied = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var versions = (await Client.GetJsonAsync($"/metrics/{id}/versions"))!.AsArray();
        versions.Count.ShouldBe(1 + applied);
        (await Client.GetJsonAsync($"/metrics/{id}/definition"))!["version"]!.GetValue<int>().ShouldBe(1 + applied);
    }

    [Test]
    public async Task Writes_need_the_write_permission_and_reads_do_not()
    {
        var id = await CreateAsync("Daily alerts needing approval");
        using var reader = Api.CreateClient(Api.Cognito.UserToken("rita", "metrics-readers"));

        (await reader.GetAsync($"/metrics/{id}/definition")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.GetAsync($"/metrics/{id}/versions")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}", UpdateBody(x: 1))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.DeleteAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PostAsync($"/metrics/{id}/versions/1/restore", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.PostJsonAsync($"/metrics/{id}/metric-records", """{ "parts_flagged": 1 }""")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static DateTimeOffset UpdatedAt(JsonNode? definition) =>
        DateTimeOffset.Parse(definition!["updated_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static string UpdateBody(int x) =>
        $$"""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": {{x}}, "y": 0, "w": 4, "h": 2 }] }""";

    private Task<Guid> CreateAsync(string prompt) =>
        Client.CreateMetricAsync($$"""{ "is_editable": true, "layouts": {{Layout}}, "query_generation_prompt": "{{prompt}}" }""");

    private async Task UpdateLayoutAsync(Guid id, int x) =>
        await (await Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}", UpdateBody(x))).ReadJsonAsync(HttpStatusCode.OK);

    private async Task<List<Guid>> ListedIdsAsync() =>
        [.. (await Client.GetJsonAsync("/metrics?page_size=200"))!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];
}
