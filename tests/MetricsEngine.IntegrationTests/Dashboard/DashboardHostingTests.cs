using System.Net;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;
using MetricsEngine.IntegrationTests.Cli;

namespace MetricsEngine.IntegrationTests.Dashboard;

/// <summary>
/// The host's side of the dashboard (src/Dashboard/README.md, "What the host provides"): its files
/// at /dashboard/ with the right caching, config.json from the settings, the page's
/// Content-Security-Policy, anonymous access, and nothing of it in the OpenAPI document. The files
/// here are a stand-in build in a temporary folder; the browser tests serve the real one.
/// </summary>
public sealed class DashboardHostingTests : ApiFixture
{
    private const string Cognito = "https://metrics-test.auth.eu-west-1.amazoncognito.com";
    private const string DraggableStyleHash = "'sha256-s8oZn728h+t0WNV6s+2xieaG3i2RB5cO2MMiUDIdinY='";

    private string? _files;

    /// <summary>The stand-in build, written before the API starts, since the API's settings name its folder.</summary>
    protected override async Task StartDependenciesAsync()
    {
        _files = Directory.CreateTempSubdirectory("metricsengine-dashboard-").FullName;
        Directory.CreateDirectory(Path.Combine(_files, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_files, "index.html"), "<!doctype html><title>MetricsEngine dashboard</title><script type=\"module\" src=\"/dashboard/assets/index-AbC123.js\"></script>");
        await File.WriteAllTextAsync(Path.Combine(_files, "assets", "index-AbC123.js"), "console.log('dashboard');");
        await File.WriteAllTextAsync(Path.Combine(_files, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        await File.WriteAllTextAsync(Path.Combine(_files, ".source-hash"), "not for the browser");
    }

    protected override Task StopDependenciesAsync()
    {
        if (_files is not null)
        {
            Directory.Delete(_files, recursive: true);
        }

        return Task.CompletedTask;
    }

    protected override IDictionary<string, string?> Settings(TestDatabase database) => WithTheBuild(new()
    {
        ["Dashboard:CognitoDomain"] = Cognito + "/",
        ["Dashboard:ClientId"] = TestCognito.ClientId,
    });

    [Test]
    public async Task The_dashboard_without_a_slash_redirects_to_its_folder_keeping_the_window()
    {
        using var client = Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/dashboard?start_date=2025-06-01&end_date=2025-06-30");

        response.StatusCode.ShouldBe(HttpStatusCode.MovedPermanently);
        response.Headers.Location!.OriginalString.ShouldBe("/dashboard/?start_date=2025-06-01&end_date=2025-06-30");
    }

    [Test]
    public async Task The_page_is_served_anonymously_revalidated_on_every_load_under_a_strict_policy()
    {
        using var client = Api.CreateClient(token: null);

        var response = await client.GetAsync("/dashboard/?as_of=2025-06-30");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<title>MetricsEngine dashboard</title>");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        Policy(response).ShouldBe(new Dictionary<string, string>
        {
            ["default-src"] = "'none'",
            ["script-src"] = "'self'",
            ["style-src"] = $"'self' {DraggableStyleHash}",
            ["img-src"] = "'self' data:",
            ["font-src"] = "'self'",
            ["connect-src"] = $"'self' {Cognito}",
            ["object-src"] = "'none'",
            ["base-uri"] = "'none'",
            ["form-action"] = "'self'",
            ["frame-ancestors"] = "'none'",
        }, ignoreOrder: true);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        (await client.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await client.GetAsync("/dashboard/index.html")).Headers.ETag.ShouldBe(response.Headers.ETag);
    }

    [Test]
    public async Task Hashed_assets_are_cached_for_a_year_and_other_files_revalidated()
    {
        using var client = Api.CreateClient(token: null);

        var asset = await client.GetAsync("/dashboard/assets/index-AbC123.js");
        asset.StatusCode.ShouldBe(HttpStatusCode.OK);
        asset.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        asset.Headers.CacheControl!.ToString().ShouldBe("public, max-age=31536000, immutable");

        var icon = await client.GetAsync("/dashboard/favicon.svg");
        icon.StatusCode.ShouldBe(HttpStatusCode.OK);
        icon.Headers.CacheControl!.NoCache.ShouldBeTrue();

        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dashboard/assets/index-AbC123.js"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [TestCase("/dashboard/assets/index-Missing.js")]
    [TestCase("/dashboard/anything/else")]
    [TestCase("/dashboard/.source-hash")]
    [TestCase("/dashboard/assets/..%2F..%2Fappsettings.json")]
    [TestCase("/dashboard/%2E%2E/%2E%2E/Web/appsettings.json")]
    public async Task Anything_that_is_not_a_file_of_the_build_is_not_found(string path)
    {
        using var client = Api.CreateClient(token: null);

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("text/html");
    }

    [Test]
    public async Task Config_tells_the_page_to_sign_in_with_the_hosted_ui_and_is_never_cached()
    {
        using var client = Api.CreateClient(token: null);

        var response = await client.GetAsync("/dashboard/config.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString().ShouldBe(
            $$"""{"auth_mode":"cognito","cognito_domain":"{{Cognito}}","client_id":"{{TestCognito.ClientId}}","scopes":"openid","poll_seconds":15}""");
    }

    [Test]
    public async Task The_dashboard_is_not_part_of_the_api_description()
    {
        using var client = Api.CreateClient(token: null);

        var document = await client.GetStringAsync("/openapi/v1.json");

        document.ShouldNotContain("/dashboard");
    }

    [Test]
    public async Task Local_sign_in_is_the_default_where_the_development_issuer_is_in_use()
    {
        var keyPath = Path.Combine(Path.GetTempPath(), $"dev-key-{Guid.NewGuid():N}.pem");
        try
        {
            await using var api = await MetricsApi.StartInEnvironmentAsync("Development", WithTheBuild(new()
            {
                ["Auth:Local:Enabled"] = "true",
                ["Auth:Local:KeyPath"] = keyPath,
                ["Dashboard:PollSeconds"] = "5",
            }));
            using var client = api.CreateClient(token: null);

            var config = await client.GetStringAsync("/dashboard/config.json");

            config.ShouldBe("""{"auth_mode":"local","cognito_domain":null,"client_id":null,"scopes":"openid","poll_seconds":5}""");
            var page = await client.GetAsync("/dashboard/");
            Policy(page)["connect-src"].ShouldBe("'self'");
        }
        finally
        {
            File.Delete(keyPath);
        }
    }

    [Test]
    public async Task Cognito_mode_without_its_settings_starts_and_says_what_is_missing()
    {
        await using var api = await MetricsApi.StartAsync(WithTheBuild([]));
        using var client = api.CreateClient(token: null);

        var response = await client.GetAsync("/dashboard/config.json");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("set Dashboard__CognitoDomain and Dashboard__ClientId");
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_build_without_the_dashboard_answers_not_found_and_says_how_to_build_it()
    {
        var empty = Directory.CreateTempSubdirectory("metricsengine-no-dashboard-").FullName;
        try
        {
            await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?> { ["Dashboard:FilesPath"] = empty });
            using var client = api.CreateClient(token: null);

            var response = await client.GetAsync("/dashboard/");

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Content.ReadAsStringAsync()).ShouldContain("./run.sh builds it");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Test]
    public async Task Half_of_the_cognito_settings_stop_the_host_with_one_line_and_exit_1()
    {
        var result = await HostProcess.RunAppAsync([], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Metrics"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=1",
            ["Auth__Authority"] = "http://127.0.0.1:1/pool",
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Auth__ClientIds__0"] = "client",
            ["Dashboard__CognitoDomain"] = Cognito,
            ["Dashboard__FilesPath"] = _files,
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines[^1].ShouldBe("MetricsEngine.Web cannot start: Dashboard__CognitoDomain is set but Dashboard__ClientId is not: set it to the app client people sign in with.");
    }

    private Dictionary<string, string?> WithTheBuild(Dictionary<string, string?> settings)
    {
        settings["Dashboard:FilesPath"] = _files;
        return settings;
    }

    private static Dictionary<string, string> Policy(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem()
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(directive => directive.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
}
