using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Health;

/// <summary>
/// The anonymous probes: /health for people and dashboards, /live and /ready for orchestrators.
/// What they answer with the database up or unreachable is Health.feature; these are the edges
/// beside it.
/// </summary>
public sealed class HealthTests
{
    [Test]
    public async Task With_the_database_down_reading_a_metric_is_a_503_problem_not_a_500()
    {
        await using var api = await MetricsApi.StartWithoutDatabaseAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Metrics"] = $"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Database=none;Timeout=2",
        });
        using var client = api.CreateAuthorizedClient();

        var response = await client.GetAsync("/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        var problem = await response.Content.ReadFromJsonAsync<JsonNode>();
        problem!["title"]!.GetValue<string>().ShouldBe("Database unavailable");
        problem["detail"]!.GetValue<string>().ShouldNotContain("Npgsql");
    }

    [Test]
    public async Task An_unmigrated_database_is_not_ready_and_ready_says_why()
    {
        var server = await PostgresServer.SharedAsync();
        var name = $"empty_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE {name}");
        await using var api = await MetricsApi.StartWithoutDatabaseAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Metrics"] = server.ConnectionStringFor(name),
        });
        using var client = api.CreateClient(token: null);

        var ready = await client.GetAsync("/health/ready");
        var health = await client.GetAsync("/health");

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadFromJsonAsync<JsonNode>())!["detail"]!.GetValue<string>()
            .ShouldMatch("^[0-9]+ migration\\(s\\) are not applied yet; run the 'migrate' verb\\..*");
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
