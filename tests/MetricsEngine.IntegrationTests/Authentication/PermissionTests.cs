using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Authentication;

/// <summary>
/// Permission boundaries (docs/product.md#permissions): read, write and admin, each granted by scopes or Cognito
/// groups, with write implying read and admin implying both.
/// </summary>
public sealed class PermissionTests : ApiFixture
{
    private const string ReadEndpoint = "/metrics/00000000-0000-4000-8000-000000000001";
    private const string AdminEndpoint = "/imports/latest";

    // Reading a metric that does not exist: 404 means the caller was let through.
    [TestCase("api/backend_access", HttpStatusCode.NotFound)]
    [TestCase("api/metrics.read", HttpStatusCode.NotFound)]
    [TestCase("api/metrics.write", HttpStatusCode.NotFound)]
    [TestCase("api/metrics.admin", HttpStatusCode.NotFound)]
    [TestCase("openid profile", HttpStatusCode.Forbidden)]
    [TestCase("api/backend_access_x", HttpStatusCode.Forbidden)]
    [TestCase("api/metrics.read.all", HttpStatusCode.Forbidden)]
    [TestCase("xapi/metrics.read", HttpStatusCode.Forbidden)]
    [TestCase("", HttpStatusCode.Forbidden)]
    [TestCase("openid api/metrics.read", HttpStatusCode.NotFound)]
    public async Task Reading_with_scopes(string scopes, HttpStatusCode expected)
    {
        using var client = Api.CreateClient(Api.Cognito.Token(t => t with { Scopes = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries) }));

        (await client.GetAsync(ReadEndpoint)).StatusCode.ShouldBe(expected);
    }

    [TestCase("metrics-readers", HttpStatusCode.NotFound)]
    [TestCase("metrics-writers", HttpStatusCode.NotFound)]
    [TestCase("metrics-admins", HttpStatusCode.NotFound)]
    [TestCase("metrics-readers-old", HttpStatusCode.Forbidden)]
    [TestCase("everyone", HttpStatusCode.Forbidden)]
    public async Task Reading_as_a_user_in_group(string group, HttpStatusCode expected)
    {
        using var client = Api.CreateClient(Api.Cognito.UserToken("alice", group));

        (await client.GetAsync(ReadEndpoint)).StatusCode.ShouldBe(expected);
    }

    [TestCase("api/metrics.admin", HttpStatusCode.NotFound)]
    [TestCase("api/backend_access", HttpStatusCode.Forbidden)]
    [TestCase("api/metrics.write", HttpStatusCode.Forbidden)]
    [TestCase("api/metrics.read", HttpStatusCode.Forbidden)]
    [TestCase("api/metrics.administrator", HttpStatusCode.Forbidden)]
    public async Task The_import_report_needs_admin(string scope, HttpStatusCode expected)
    {
        using var client = Api.CreateClient(Api.Cognito.Token(t => t with { Scopes = [scope] }));

        // No import has run in this database: 404 again means "let through".
        (await client.GetAsync(AdminEndpoint)).StatusCode.ShouldBe(expected);
    }

    [Test]
    public async Task A_user_in_the_admins_group_may_read_the_import_report_and_a_reader_may_not()
    {
        using var admin = Api.CreateClient(Api.Cognito.UserToken("root", "metrics-admins"));
        using var reader = Api.CreateClient(Api.Cognito.UserToken("bob", "metrics-readers"));

        (await admin.GetAsync(AdminEndpoint)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reader.GetAsync(AdminEndpoint)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
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
