using System.Net;
using System.Net.Sockets;
using TechTalk.SpecFlow;
using MetricsEngine.Testing;

namespace MetricsEngine.AcceptanceTests.Steps;

[Binding]
public sealed class HealthSteps(Conversation conversation)
{
    /// <summary>A host of the scenario's own whose connection string names a port nothing listens on.</summary>
    [Given("the API cannot reach its database")]
    public async Task DatabaseUnreachable() =>
        conversation.UseOwnApi(await MetricsApi.StartWithoutDatabaseAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Metrics"] = $"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Database=none;Timeout=2",
        }));

    [Then("the readiness checks are:")]
    public void TheReadinessChecksAre(Table checks) =>
        conversation.Last.Json["checks"]!.AsObject().Select(c => $"{c.Key}: {c.Value!["status"]}")
            .ShouldBe(checks.Rows.Select(r => $"{r["check"]}: {r["status"]}"), ignoreOrder: true);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
