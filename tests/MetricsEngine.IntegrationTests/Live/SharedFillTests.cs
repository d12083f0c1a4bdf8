using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Live;

/// <summary>
/// A caller who joins a shared uncached fill gets its own answer, not the refusal of the caller
/// who started it (that caller's share was full, not the joiner's).
/// </summary>
public sealed class SharedFillTests
{
    private const string SlowQuery =
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 8000000) SELECT max(n) AS slow FROM t";

    [Test]
    public async Task A_joiner_of_a_fill_whose_starter_is_refused_for_its_share_gets_200_not_the_starters_429()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Query:MaxConcurrentPerCaller"] = "1",
            ["Query:QueueTimeoutMilliseconds"] = "1000",
        });
        using var starter = api.CallerClient("starter");
        using var joiner = api.CallerClient("joiner");
        var busy = await starter.CreateMetricAsync($$"""{ "title": "Busy", "is_editable": true, "layouts": [], "query": "{{SlowQuery}}" }""");
        var shared = await starter.CreateMetricAsync("""{ "title": "Shared", "is_editable": true, "layouts": [], "query": "SELECT 42 AS answer" }""");

        // The starter's one share is held by a slow query; its request for the shared metric starts
        // the fill and waits for a share it will not get in time; the joiner arrives meanwhile.
        var holding = starter.GetAsync($"/metrics/{busy}");
        await Task.Delay(200);
        var started = starter.GetAsync($"/metrics/{shared}");
        await Task.Delay(200);
        var joined = joiner.GetAsync($"/metrics/{shared}");

        (await started).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var answer = await (await joined).ReadJsonAsync(HttpStatusCode.OK);
        answer["records"]!.ToJsonString().ShouldBe("""[{"answer":42}]""");
        // The slow query only holds the share; on a loaded machine it may reach the statement
        // timeout, which is its own answer and not this test's subject.
        (await holding).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.GatewayTimeout);
    }
}
