using System.Net;
using MetricsEngine.Infrastructure.Changes;
using MetricsEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Live;

/// <summary>
/// Two API instances on one database, as deployed. Cached entries live for an hour here, so only
/// the change feed can make B see A's writes within the tests' patience.
/// </summary>
public sealed class FleetTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Cache:ResultTtlSeconds"] = "3600",
        ["Cache:DefinitionTtlSeconds"] = "3600",
        ["Live:MinIntervalMilliseconds"] = "50",
    };

    private MetricsApi _a = null!;
    private MetricsApi _b = null!;
    private HttpClient _onA = null!;
    private HttpClient _onB = null!;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _a = await MetricsApi.StartAsync(Settings);
        _b = await MetricsApi.StartOnAsync(_a.Database!, Settings);
        _onA = _a.CreateAuthorizedClient();
        _onB = _b.CreateAuthorizedClient();
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        _onA.Dispose();
        _onB.Dispose();
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Test]
    public async Task A_record_posted_on_a_is_in_bs_next_get()
    {
        var id = await _onA.CountingMetricAsync("Fleet record");
        (await CountOnBAsync(id)).ShouldBe(0);
        (await CountOnBAsync(id)).ShouldBe(0); // cached on B now

        await _onA.AddRecordAsync(id);

        await LiveClients.EventuallyAsync(async () => await CountOnBAsync(id) == 1, "B's GET shows the record posted on A");
    }

    [Test]
    public async Task A_subscriber_on_b_gets_the_answer_a_record_posted_on_a_changed()
    {
        var id = await _onA.CountingMetricAsync("Fleet stream");
        await using var stream = await EventStreamReader.OpenAsync(_onB, $"/metrics/{id}/events");
        (await stream.NextAsync())!.Count().ShouldBe(0);

        await _onA.AddRecordAsync(id);

        (await stream.NextAsync())!.Count().ShouldBe(1);
    }

    [Test]
    public async Task A_definition_changed_on_a_reaches_bs_cache_and_bs_subscribers()
    {
        var id = await _onA.CreateMetricAsync($$"""{ "title": "Before {{Guid.NewGuid():N}}", "is_editable": true, "layouts": [], "query": "SELECT 1 AS n" }""");
        (await _onB.GetJsonAsync($"/metrics/{id}"))!["records"]!.ToJsonString().ShouldBe("""[{"n":1}]""");
        await using var stream = await EventStreamReader.OpenAsync(_onB, $"/metrics/{id}/events");
        await stream.NextAsync();

        await (await _onA.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}",
            """{ "is_editable": true, "layouts": [], "query": "SELECT 2 AS n" }""")).ReadJsonAsync(HttpStatusCode.OK);

        (await stream.NextAsync())!.Json["records"]!.ToJsonString().ShouldBe("""[{"n":2}]""");
        (await _onB.GetJsonAsync($"/metrics/{id}"))!["records"]!.ToJsonString().ShouldBe("""[{"n":2}]""");
    }

    [Test]
    public async Task A_metric_deleted_on_a_ends_bs_streams()
    {
        var id = await _onA.CountingMetricAsync("Fleet delete");
        await using var stream = await EventStreamReader.OpenAsync(_onB, $"/metrics/{id}/events");
        await stream.NextAsync();

        (await _onA.DeleteAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await stream.EndAsync()).Single().Event.ShouldBe("deleted");
        (await _onB.GetAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task When_bs_listening_connection_is_killed_b_says_so_in_readiness_serves_nothing_stale_and_recovers()
    {
        var id = await _onA.CountingMetricAsync("Fleet outage");
        (await CountOnBAsync(id)).ShouldBe(0);
        var listener = $"metricsengine-listen:{_b.Services.GetRequiredService<ChangeDispatcher>().InstanceId}";
        using var anonymous = _b.CreateClient();

        // Kill B's listener again each time it comes back, until B's readiness has said so.
        string? degraded = null;
        for (var attempt = 0; degraded is null && attempt < 300; attempt++)
        {
            await _a.Database!.ScalarAsync<int>($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{listener}'");
            var ready = await (await anonymous.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);
            if (ready["status"]!.GetValue<string>() == "degraded")
            {
                degraded = ready["checks"]!["change-feed"]!["description"]!.GetValue<string>();
            }
        }

        degraded.ShouldNotBeNull();
        degraded.ShouldContain("lost");

        // A change made while B may not hear it: B answers it anyway (from the database while it is
        // down, from a cache emptied when it listens again), never the hour-long cached 0.
        await _onA.AddRecordAsync(id);
        await LiveClients.EventuallyAsync(async () => await CountOnBAsync(id) == 1, "B's GET shows the record posted during the outage");

        await LiveClients.EventuallyAsync(async () =>
            (await (await anonymous.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>() == "ready",
            "B listens again");
        (await _a.Database!.ScalarAsync<int>($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{listener}'")).ShouldBe(1);

        // Listening again, B caches again and still hears A.
        (await CountOnBAsync(id)).ShouldBe(1);
        await _onA.AddRecordAsync(id);
        await LiveClients.EventuallyAsync(async () => await CountOnBAsync(id) == 2, "B's GET shows the record posted on A after recovery");
    }

    private async Task<long> CountOnBAsync(Guid id) =>
        (await _onB.GetJsonAsync($"/metrics/{id}"))!["records"]![0]!.AsObject().Single().Value!.GetValue<long>();
}
