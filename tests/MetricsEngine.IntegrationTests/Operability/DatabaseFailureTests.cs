using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Operability;

/// <summary>
/// Broken connections: a read is retried once on a fresh connection, a write never; requests the
/// client abandons mid-read never leave a connection in the pool half way through the protocol.
/// </summary>
public sealed class DatabaseFailureTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    // One engine connection and one query connection (plus readiness's), so "the pooled
    // connection" is one and breaking it is certain. Pool sizes are settings: a connection
    // string's own is overridden (README, "Pool sizing").
    protected override IDictionary<string, string?> Settings(TestDatabase database) => new Dictionary<string, string?>
    {
        ["Database:MaxPoolSize"] = "1",
        ["Query:MaxConcurrent"] = "1",
        ["Cache:Enabled"] = "false",
    };

    [Test]
    public async Task A_read_whose_pooled_connection_was_killed_is_retried_on_a_fresh_one()
    {
        (await Client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await KillEngineConnectionsAsync();
        Api.Logs.Clear();

        var response = await Client.GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Api.Logs.AllText().ShouldContain("lost its database connection");
    }

    [Test]
    public async Task A_write_whose_pooled_connection_was_killed_is_not_retried()
    {
        (await Client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await KillEngineConnectionsAsync();
        var before = await Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_records");
        Api.Logs.Clear();

        var response = await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", """{ "parts_flagged": 1 }""");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        // One Warning says why; nobody (EF Core included) logs a handled 503 as an Error.
        Api.Logs.Events.Where(e => e.Level >= Serilog.Events.LogEventLevel.Error).Select(e => e.MessageTemplate.Text).ShouldBeEmpty();
        (await Api.Database.ScalarAsync<long>("SELECT count(*) FROM metric_records")).ShouldBe(before);
        (await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", """{ "parts_flagged": 1 }""")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Test]
    public async Task Requests_abandoned_mid_read_leave_every_connection_usable()
    {
        // Enough rows that reading them takes a while, so cancellations land mid-protocol.
        await Api.Database!.ExecuteAsync(
            "INSERT INTO metric_records (query_id, date, parts_flagged, alert_type, idempotency_key, created_at) " +
            "SELECT 'q_raw', timestamp '2025-06-01' + g * interval '1 minute', g, 'Info', gen_random_uuid(), now() FROM generate_series(1, 5000) g");
        var random = new Random(13);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var abandon = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 40)));
            try
            {
                var path = i % 2 == 0 ? $"/metrics/{SampleMetrics.RawRecords}" : "/metrics";
                await Client.GetAsync(path, abandon.Token);
            }
            catch (OperationCanceledException)
            {
                // Abandoned, as intended.
            }
        }));

        // One after another, so each takes the one pooled connection in turn and none waits for it:
        // a burst would meet the bounded pools' fast 503s (and the caller's 429s) by design.
        Api.Logs.Clear();
        var afterwards = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            using var response = i % 3 == 0
                ? await Client.PostJsonAsync($"/metrics/{SampleMetrics.RawRecords}/metric-records", """{ "parts_flagged": 1 }""")
                : await Client.GetAsync(i % 3 == 1 ? $"/metrics/{SampleMetrics.RawRecords}" : "/metrics");
            afterwards.Add((int)response.StatusCode);
        }

        afterwards.Distinct().Order().ToArray().ShouldBe([200, 201], Api.Logs.AllText());
    }

    private Task KillEngineConnectionsAsync() => Api.Database!.Server.ExecuteAsync(
        $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Api.Database.Name}' AND application_name = 'metricsengine'");
}
