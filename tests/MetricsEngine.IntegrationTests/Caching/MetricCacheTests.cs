using System.Net;
using System.Net.Http.Headers;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Caching;

/// <summary>
/// The database sees each distinct question once per TTL; a change is visible at once; clients
/// can revalidate with ETags. Executions are counted on the engine's own counter.
/// </summary>
public sealed class MetricCacheTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    protected override IDictionary<string, string?> Settings(TestDatabase database) =>
        new Dictionary<string, string?> { ["Cache:ResultTtlSeconds"] = "60" };

    [Test]
    public async Task As_of_is_part_of_the_key_as_the_date_it_resolves_to()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var executions = CounterReader.QueriesExecuted();

        await Client.GetAsync($"/metrics/{SampleMetrics.CostAvoided}?day_range=7");
        await Client.GetAsync($"/metrics/{SampleMetrics.CostAvoided}?day_range=7&as_of={today}");
        await Client.GetAsync($"/metrics/{SampleMetrics.CostAvoided}?day_range=7&as_of=2025-06-30");

        executions.Total.ShouldBe(2);
    }

    [Test]
    public async Task Requests_that_say_the_same_window_differently_share_the_query_but_each_gets_its_own_answer()
    {
        using var executions = CounterReader.QueriesExecuted();

        var plain = await Client.GetJsonAsync($"/metrics/{SampleMetrics.CostAvoided}?day_range=4&as_of=2025-06-30");
        var withUnusedFilter = await Client.GetJsonAsync($"/metrics/{SampleMetrics.CostAvoided}?day_range=4&as_of=2025-06-30&start_date=2025-06-01");

        executions.Total.ShouldBe(1);
        plain!["parameters"]!["start_date"]!["value"].ShouldBeNull();
        withUnusedFilter!["parameters"]!["start_date"]!.ToJsonString().ShouldBe("""{"applicable":false,"value":"2025-06-01","default":null}""");
        withUnusedFilter["records"]!.ToJsonString().ShouldBe(plain["records"]!.ToJsonString());
    }

    [Test]
    public async Task Concurrent_requests_for_a_key_being_filled_wait_for_that_one_query()
    {
        var id = await Client.CreateMetricAsync("""
            { "title": "Slow one", "is_editable": true, "layouts": [], "query": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 1000000) SELECT max(n) AS slow, (SELECT count(*) FROM metrics) AS records FROM t" }
            """);
        using var executions = CounterReader.QueriesExecuted();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.GetAsync($"/metrics/{id}")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        executions.Total.ShouldBe(1);
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Count().ShouldBe(1);
    }

    [Test]
    public async Task A_new_record_is_visible_at_once_in_every_cached_window()
    {
        var id = await Client.CreateMetricAsync("""{ "title": "Counted", "is_editable": true, "layouts": [], "query_generation_prompt": "count of alerts in June 2025" }""");
        var before = await CountAsync($"/metrics/{id}");
        await CountAsync($"/metrics/{id}?start_date=2025-06-10");

        await (await Client.PostJsonAsync($"/metrics/{id}/metric-records", """{ "date": "2025-06-15", "alert_type": "Info" }""")).ReadJsonAsync(HttpStatusCode.Created);

        (await CountAsync($"/metrics/{id}")).ShouldBe(before + 1);
        (await CountAsync($"/metrics/{id}?start_date=2025-06-10")).ShouldBe(1);
    }

    [Test]
    public async Task An_import_is_visible_at_once()
    {
        var before = await CountRowsAsync(SampleMetrics.RawRecords);
        using var files = SampleMetrics.Files().Records(new { id = "q_raw", date = "2025-06-05T00:00:00", parts_flagged = 9 });

        await Api.ImportAsync(files.Files);

        (await CountRowsAsync(SampleMetrics.RawRecords)).ShouldBe(before + 1);
    }

    [Test]
    public async Task The_answer_carries_an_etag_to_revalidate_with_and_a_matching_if_none_match_is_a_304()
    {
        var id = await Client.CreateMetricAsync("""{ "title": "Tagged", "is_editable": true, "layouts": [], "query_generation_prompt": "total parts flagged in June 2025" }""");
        var first = await Client.GetAsync($"/metrics/{id}");
        var tag = first.Headers.ETag!;

        var revalidated = await GetWithTagAsync($"/metrics/{id}", tag);
        await Client.PostJsonAsync($"/metrics/{id}/metric-records", """{ "date": "2025-06-02", "parts_flagged": 4 }""");
        var changed = await GetWithTagAsync($"/metrics/{id}", tag);

        tag.IsWeak.ShouldBeFalse();
        first.Headers.CacheControl!.Private.ShouldBeTrue();
        // The server hears every change at once: clients revalidate rather than keep an answer for a TTL.
        first.Headers.CacheControl.NoCache.ShouldBeTrue();
        first.Headers.CacheControl.MaxAge.ShouldBeNull();
        revalidated.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await revalidated.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        revalidated.Headers.ETag.ShouldBe(tag);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        changed.Headers.ETag.ShouldNotBe(tag);
    }

    [Test]
    public async Task With_the_cache_off_every_read_runs_the_query_and_nothing_may_be_reused()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?> { ["Cache:Enabled"] = "false" });
        using (var files = SampleMetrics.Files())
        {
            await api.ImportAsync(files.Files);
        }

        using var client = api.CreateAuthorizedClient();
        using var executions = CounterReader.QueriesExecuted();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await client.GetAsync($"/metrics/{SampleMetrics.AlertsByType}"));
        }

        executions.Total.ShouldBe(3);
        responses.ShouldAllBe(r => r.Headers.CacheControl!.NoCache && r.Headers.CacheControl.Private);
        responses.Select(r => r.Headers.ETag!.Tag).Distinct().Count().ShouldBe(1);
    }

    private async Task<HttpResponseMessage> GetWithTagAsync(string path, EntityTagHeaderValue tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(tag);
        return await Client.SendAsync(request);
    }

    private async Task<int> CountAsync(string path) =>
        (await Client.GetJsonAsync(path))!["records"]![0]!["total_alerts"]!.GetValue<int>();

    private async Task<int> CountRowsAsync(string id) => (await Client.GetJsonAsync($"/metrics/{id}"))!["records"]!.AsArray().Count;
}
