using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.BrowserTests;

/// <summary>
/// The real API host (Program.cs) on a loopback port, serving the real build of the dashboard
/// (src/Dashboard/dist, built by this project's BuildDashboard target), on a database of its own
/// with the sample data of data/ imported, and a stand-in Cognito pool whose RS256 tokens the page
/// is handed in the link's fragment.
/// </summary>
/// <remarks>
/// The host runs in the Testing environment, where the local development issuer is off, so
/// config.json's sign-in mode is set to <c>local</c> explicitly: in that mode the page takes its
/// token from the fragment, exactly what a developer's <c>./run.sh token --dashboard</c> link
/// does, and the API validates it like any other token (here against the stand-in pool).
/// </remarks>
public sealed class DashboardServer : IAsyncDisposable
{
    private DashboardServer(MetricsApi api, Uri address)
    {
        Api = api;
        Address = address;
    }

    public MetricsApi Api { get; }

    /// <summary>http://127.0.0.1:PORT, where both the API and the dashboard are.</summary>
    public Uri Address { get; }

    public TestCognito Cognito => Api.Cognito;

    /// <summary>A host that revalidates tiles every <paramref name="pollSeconds"/> when there is no live stream.</summary>
    public static async Task<DashboardServer> StartAsync(int pollSeconds)
    {
        var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:AuthMode"] = "local",
            ["Dashboard:PollSeconds"] = pollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dashboard:FilesPath"] = Path.Combine(Repository.Root, "src", "Dashboard", "dist"),
        });
        api.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        api.StartServer();
        var address = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var data = Path.Combine(Repository.Root, "data");
        await api.ImportAsync(new ImportFiles(
            Path.Combine(data, "queries.csv"), Path.Combine(data, "metrics.json"), Path.Combine(data, "metric_records.json")));
        return new DashboardServer(api, address);
    }

    /// <summary>A user's token with every permission (as ./run.sh token gives), or what <paramref name="configure"/> makes of it.</summary>
    public string Token(Func<TokenSpec, TokenSpec>? configure = null) =>
        Cognito.Token(t => (configure ?? (x => x))(t with { Username = "browser-test", Scopes = ["api/backend_access", "api/metrics.admin"] }));

    /// <summary>The dashboard, signed in with <paramref name="token"/> through the link's fragment.</summary>
    public string Link(string token, string query = "") => $"{Address}dashboard/{query}#access_token={token}";

    /// <summary>An HTTP client of the API on the same address the page uses, with a token.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? Token());
        return client;
    }

    /// <summary>Every live metric with its stored layouts and which window parameters apply to it.</summary>
    public async Task<IReadOnlyList<JsonNode>> MetricsAsync()
    {
        using var client = Client();
        var list = (await client.GetFromJsonAsync<JsonNode>("/metrics?page_size=200"))!;
        var answers = new List<JsonNode>();
        foreach (var item in list["items"]!.AsArray())
        {
            answers.Add((await client.GetFromJsonAsync<JsonNode>($"/metrics/{item!["id"]!.GetValue<string>()}"))!);
        }

        return answers;
    }

    public async ValueTask DisposeAsync() => await Api.DisposeAsync();
}

/// <summary>The clone this test runs from (found by run.sh and the solution beside it).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "run.sh")) && File.Exists(Path.Combine(directory.FullName, "MetricsEngine.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No repository above {AppContext.BaseDirectory}.");
    }
}
