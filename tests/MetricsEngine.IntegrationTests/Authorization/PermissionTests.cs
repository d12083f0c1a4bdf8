using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Authorization;

/// <summary>
/// Permission boundaries (docs/product.md#permissions): read, write and admin, each granted by scopes or Cognito
/// groups, with write implying read and admin implying both. Which scopes and groups grant what is
/// Permissions.feature; these are the edges it does not state.
/// </summary>
public sealed class PermissionTests : ApiFixture
{
    private const string ReadEndpoint = "/metrics/00000000-0000-4000-8000-000000000001";
    private const string AdminEndpoint = "/imports/latest";

    // A scope that only starts like one that grants reading grants nothing.
    [TestCase("api/metrics.read.all", HttpStatusCode.Forbidden)]
    public async Task Reading_with_scopes(string scopes, HttpStatusCode expected)
    {
        using var client = Api.CreateClient(Api.Cognito.Token(t => t with { Scopes = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries) }));

        (await client.GetAsync(ReadEndpoint)).StatusCode.ShouldBe(expected);
    }

    [Test]
    public async Task A_403_is_a_problem_document_without_a_challenge()
    {
        using var client = Api.CreateClient(Api.Cognito.Token(t => t with { Scopes = ["openid"] }));

        var response = await client.GetAsync(ReadEndpoint);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.WwwAuthenticate.ShouldBeEmpty();
        (await response.Content.ReadAsStringAsync()).ShouldContain("does not grant the 'read' permission this endpoint needs.");
    }

    [Test]
    public async Task A_403_on_an_admin_endpoint_names_the_admin_permission()
    {
        using var client = Api.CreateClient(Api.Cognito.Token(t => t with { Scopes = ["api/metrics.read"] }));

        var response = await client.GetAsync(AdminEndpoint);

        (await response.Content.ReadAsStringAsync()).ShouldContain("does not grant the 'admin' permission this endpoint needs.");
    }

    [Test]
    public async Task Permissions_map_to_configured_scopes_and_groups_and_a_machine_token_cannot_hold_a_group_only_permission()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Permissions:Admin:Scopes"] = "",
            ["Auth:Permissions:Admin:Groups"] = "ops",
            ["Auth:Permissions:Read:Scopes"] = "dashboards/read",
        });
        using var machine = api.CreateClient(api.Cognito.Token(t => t with { Scopes = ["api/metrics.admin"] }));
        using var ops = api.CreateClient(api.Cognito.UserToken("carol", "ops"));
        using var dashboard = api.CreateClient(api.Cognito.Token(t => t with { Scopes = ["dashboards/read"] }));
        using var defaultReader = api.CreateClient(api.Cognito.Token(t => t with { Scopes = ["api/metrics.read"] }));

        (await machine.GetAsync(AdminEndpoint)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ops.GetAsync(AdminEndpoint)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dashboard.GetAsync(ReadEndpoint)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await defaultReader.GetAsync(ReadEndpoint)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task The_caller_is_named_in_the_log_scope_by_username_or_client()
    {
        Api.Logs.Clear();
        using var user = Api.CreateClient(Api.Cognito.UserToken("alice", "metrics-readers"));
        using var machine = Api.CreateClient(Api.Cognito.Token());

        await user.GetAsync(ReadEndpoint);
        await machine.GetAsync(ReadEndpoint);

        Api.Logs.WithTemplate("Endpoint called").Select(e => LogCapture.Scalar(e, "User"))
            .ShouldBe(["alice", $"client:{TestCognito.ClientId}"]);
    }
}
