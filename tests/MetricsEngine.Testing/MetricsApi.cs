using System.Net.Http.Headers;
using MediatR;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Core.Imports;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace MetricsEngine.Testing;

/// <summary>
/// The real API host (Program.cs) on a test server, wired to a database of its own and to a
/// <see cref="TestCognito"/>. Everything else is the production composition.
/// </summary>
public sealed class MetricsApi : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    private MetricsApi(TestDatabase? database, TestCognito cognito, IDictionary<string, string?>? settings, string environment = "Testing")
    {
        _environment = environment;
        Database = database;
        Cognito = cognito;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Metrics"] = database?.ConnectionString,
            ["Auth:Authority"] = cognito.Authority,
            ["Auth:ClientIds:0"] = TestCognito.ClientId,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:Local:Enabled"] = "false",
            ["Import:OnStartup"] = "false",
            // Suites fire hundreds of requests a second with one token; tests of the limit set their own.
            ["RateLimit:PermitsPerSecond"] = "1000000",
            ["RateLimit:Burst"] = "1000000",
            // Test hosts run side by side (and beside other suites): no fixed metrics port unless a test asks.
            ["Telemetry:PrometheusPort"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TestDatabase? Database { get; }
    public TestCognito Cognito { get; }
    public LogCapture Logs { get; } = new();

    /// <summary>An API on a fresh, migrated database of its own.</summary>
    public static Task<MetricsApi> StartAsync(IDictionary<string, string?>? settings = null) =>
        StartAsync(_ => settings ?? new Dictionary<string, string?>());

    /// <summary>An API on a fresh database, with settings that may depend on that database.</summary>
    public static async Task<MetricsApi> StartAsync(Func<TestDatabase, IDictionary<string, string?>> settings)
    {
        var database = await TestDatabase.CreateAsync();
        var cognito = await TestCognito.StartAsync();
        return new MetricsApi(database, cognito, settings(database));
    }

    /// <summary>An API on a fresh database in another hosting environment (Development, say).</summary>
    public static async Task<MetricsApi> StartInEnvironmentAsync(string environment, IDictionary<string, string?> settings)
    {
        var database = await TestDatabase.CreateAsync();
        return new MetricsApi(database, await TestCognito.StartAsync(), settings, environment);
    }

    /// <summary>An API whose settings are all given (e.g. a connection string to nowhere).</summary>
    public static async Task<MetricsApi> StartWithoutDatabaseAsync(IDictionary<string, string?> settings) =>
        new(null, await TestCognito.StartAsync(), settings);

    /// <summary>The addresses the server listens on (real sockets only after <see cref="ServeOnSockets"/>).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Serves on real sockets (Kestrel) rather than in memory, for what only a server shows: ports.</summary>
    public MetricsApi ServeOnSockets()
    {
        UseKestrel();
        StartServer();
        return this;
    }

    /// <summary>A client sending a valid access token with every permission the defaults grant.</summary>
    public HttpClient CreateAuthorizedClient() =>
        CreateClient(Cognito.Token(t => t with { Scopes = ["api/backend_access", "api/metrics.admin"] }));

    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<ImportRun> ImportAsync(ImportFiles files, bool dryRun = false)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunImportCommand(files, dryRun));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Cognito.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }
}
