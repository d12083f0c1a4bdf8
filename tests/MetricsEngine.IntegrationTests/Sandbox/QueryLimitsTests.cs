using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Infrastructure.Caching;
using MetricsEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Sandbox;

/// <summary>
/// What one result and one caller may take (README: "Running stored SQL safely", "Pool sizing"):
/// a result past Query__MaxResultBytes is refused having held at most that much; the cache
/// accounts what it holds by its real size; a caller flooding slow queries gets 429s while others
/// and readiness are served and the database never sees more sandbox connections than configured;
/// a burst of uncached reads gets only answers or fast refusals with Retry-After, never a hang.
/// </summary>
public sealed class QueryLimitsTests
{
    /// <summary>A 64 KiB text built by doubling, on each of 10,000 rows: about 655 MB on the wire.</summary>
    private const string HugeResult = """
        WITH RECURSIVE d(k, s) AS (SELECT 1, 'x'::text UNION ALL SELECT k + 1, s || s FROM d WHERE k < 17),
        r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10000)
        SELECT r.n, d.s FROM r, d WHERE d.k = 17
        """;

    /// <summary>One 16 Mi-character value: twice the default limit in a single cell.</summary>
    private const string HugeValue = """
        WITH RECURSIVE d(k, s) AS (SELECT 1, 'x'::text UNION ALL SELECT k + 1, s || s FROM d WHERE k < 25)
        SELECT s FROM d WHERE k = 25
        """;

    [TestCase(HugeResult)]
    [TestCase(HugeValue)]
    public async Task A_result_over_the_byte_limit_is_refused_while_the_api_holds_at_most_the_limit(string sql)
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?> { ["Cache:Enabled"] = "false", ["Query:MaxConcurrent"] = "1" });
        using var client = api.CreateAuthorizedClient();
        var id = await client.CreateMetricAsync(JsonSerializer.Serialize(new { is_editable = true, layouts = Array.Empty<object>(), query = sql }));
        await client.GetAsync($"/metrics/{id}"); // warm-up: the pipeline's first request, and the first run's check

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var response = await client.GetAsync($"/metrics/{id}");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var problem = await response.ReadJsonAsync(HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe(
            "The result is larger than the 8 MiB a metric may return (Query__MaxResultBytes); aggregate or filter it, or return fewer columns.");
        TestContext.Out.WriteLine($"allocated while refusing: {allocated / (1024.0 * 1024):0.0} MiB");

        // Everything the process allocated while answering, not only what it kept: still a small
        // multiple of the 8 MiB limit, against hundreds of megabytes the query would return.
        allocated.ShouldBeLessThan(48L * 1024 * 1024);

        // The cancelled statement's connection was reset and serves the next query.
        var small = await client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query": "SELECT 1 AS one" }""");
        (await client.GetAsync($"/metrics/{small}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_caches_accounted_size_tracks_the_real_size_of_what_it_holds()
    {
        await using var api = await MetricsApi.StartAsync();
        using var client = api.CreateAuthorizedClient();
        var cache = (MetricCache)api.Services.GetRequiredService<IMetricCache>();
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            // 2,000 rows of a distinct 512-character text: about 2 MB of strings per metric.
            ids.Add(await client.CreateMetricAsync(JsonSerializer.Serialize(new
            {
                is_editable = true,
                layouts = Array.Empty<object>(),
                query = $"""
                    WITH RECURSIVE d(k, s) AS (SELECT 1, 'abcdefgh'::text UNION ALL SELECT k + 1, s || s FROM d WHERE k < 7),
                    r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000)
                    SELECT r.n, r.n::text || d.s || '{i}' AS s FROM r, d WHERE d.k = 7
                    """,
            })));
        }

        await client.GetAsync($"/metrics/{ids[0]}");
        var accountedBefore = cache.AccountedBytes;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        foreach (var id in ids.Skip(1))
        {
            using var response = await client.GetAsync($"/metrics/{id}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var real = heapAfter - heapBefore;
        var accounted = cache.AccountedBytes - accountedBefore;
        TestContext.Out.WriteLine($"5 cached answers: {real / (1024.0 * 1024):0.0} MiB on the heap, {accounted / (1024.0 * 1024):0.0} MiB accounted");

        // Never less than what is really held (so the limit bounds memory), and not wildly more.
        accounted.ShouldBeGreaterThanOrEqualTo(real);
        accounted.ShouldBeLessThan(3 * real);
        GC.KeepAlive(client);
    }

    [Test]
    public async Task One_caller_flooding_slow_queries_gets_429s_while_others_and_readiness_are_served()
    {
        const int maxConcurrent = 4;
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Query:MaxConcurrent"] = $"{maxConcurrent}",
            ["Query:MaxConcurrentPerCaller"] = "2",
            ["Query:QueueTimeoutMilliseconds"] = "500",
        });
        using var files = SampleMetrics.Files();
        await api.ImportAsync(files.Files);
        using var flooder = api.CreateClient(api.Cognito.Token(t => t with { Username = "flooder", Scopes = ["api/metrics.read", "api/metrics.write"] }));
        using var bystander = api.CreateClient(api.Cognito.Token(t => t with { Username = "bystander", Scopes = ["api/metrics.read"] }));
        using var probe = api.CreateClient();
        var slow = await flooder.CreateMetricAsync(JsonSerializer.Serialize(new
        {
            is_editable = true,
            layouts = Array.Empty<object>(),
            query = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3000000) SELECT count(*) AS n, CURRENT_DATE AS day FROM t",
        }));
        (await bystander.GetAsync($"/metrics/{SampleMetrics.AlertsByType}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakAsync(api.Database!, sampling.Token);
        var flood = Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            flooder.GetAsync($"/metrics/{slow}?as_of={new DateOnly(2024, 1, 1).AddDays(i):yyyy-MM-dd}")));

        await Task.Delay(200);
        var others = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            others.Add((await bystander.GetAsync($"/metrics/{SampleMetrics.CostAvoided}?as_of=2025-06-{10 + i}")).StatusCode);
            others.Add((await probe.GetAsync("/health/ready")).StatusCode);
        }

        var flooded = await flood;
        await sampling.CancelAsync();
        var connections = await peak;

        others.ShouldAllBe(status => status == HttpStatusCode.OK);
        var statuses = flooded.Select(r => r.StatusCode).ToList();
        statuses.ShouldAllBe(status => status == HttpStatusCode.OK || status == HttpStatusCode.TooManyRequests);
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBeGreaterThan(50);
        flooded.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldAllBe(r => r.Headers.RetryAfter != null);
        TestContext.Out.WriteLine($"flood: {statuses.Count(s => s == HttpStatusCode.OK)} x 200, {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} x 429; peak sandbox connections {connections}");
        connections.ShouldBeLessThanOrEqualTo(maxConcurrent + 1);
    }

    [Test]
    public async Task A_burst_of_256_uncached_reads_gets_only_answers_or_fast_refusals_with_retry_after()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Cache:Enabled"] = "false",
            ["Query:QueueTimeoutMilliseconds"] = "1000",
        });
        using var files = SampleMetrics.Files();
        await api.ImportAsync(files.Files);
        var clients = Enumerable.Range(0, 32)
            .Select(i => api.CreateClient(api.Cognito.Token(t => t with { Username = $"reader{i}", Scopes = ["api/metrics.read"] })))
            .ToList();
        (await clients[0].GetAsync($"/metrics/{SampleMetrics.AlertsByType}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var answers = new ConcurrentBag<(HttpStatusCode Status, bool RetryAfter, TimeSpan Took)>();
        await Task.WhenAll(Enumerable.Range(0, 256).Select(async i =>
        {
            var clock = Stopwatch.StartNew();
            using var response = await clients[i % clients.Count].GetAsync($"/metrics/{(i % 2 == 0 ? SampleMetrics.AlertsByType : SampleMetrics.CostAvoided)}");
            answers.Add((response.StatusCode, response.Headers.RetryAfter is not null, clock.Elapsed));
        }));

        TestContext.Out.WriteLine(string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{(int)g.Key} x {g.Count()}")));
        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK || a.Status == HttpStatusCode.TooManyRequests || a.Status == HttpStatusCode.ServiceUnavailable);
        answers.Where(a => a.Status != HttpStatusCode.OK).ShouldAllBe(a => a.RetryAfter);

        // A refusal comes once the queue timeout has passed, not after a database timeout.
        answers.Where(a => a.Status != HttpStatusCode.OK).ShouldAllBe(a => a.Took < TimeSpan.FromSeconds(5));
        clients.ForEach(c => c.Dispose());
    }

    /// <summary>The most sessions of the sandbox role on the test database seen at once until cancelled.</summary>
    private static async Task<long> SamplePeakAsync(TestDatabase database, CancellationToken cancellationToken)
    {
        long peak = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = await database.ScalarAsync<long>(
                $"SELECT count(*) FROM pg_stat_activity WHERE usename = 'metrics_query' AND datname = '{database.Name}'");
            peak = Math.Max(peak, now);
            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }
}
