using System.Net.Http.Headers;
using MediatR;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Core.Imports;
using MetricsEngine.Testing.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
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
    private readonly Lock _contractLock = new();
    private Task<OpenApiContract>? _contract;
    private bool _ownsDatabase = true;

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

    /// <summary>
    /// Another instance on a database an API already uses (the fleet: several instances, one
    /// database); the database stays with the API that created it.
    /// </summary>
    public static async Task<MetricsApi> StartOnAsync(TestDatabase database, IDictionary<string, string?>? settings = null) =>
        new(database, await TestCognito.StartAsync(), settings) { _ownsDatabase = false };

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

    /// <summary>
    /// A client without a token. Every client a test gets from here checks each answer against the
    /// OpenAPI document this host serves (<see cref="ContractCheckingHandler"/>).
    /// </summary>
    public new HttpClient CreateClient() => CreateClient(token: null);

    public HttpClient CreateClient(string? token)
    {
        // As the factory's own clients do: follow redirects and keep cookies.
        var client = CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(), new ContractCheckingHandler(ContractAsync));
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>The OpenAPI document this host serves, read once, as a checker of answers.</summary>
    public Task<OpenApiContract> ContractAsync(CancellationToken cancellationToken = default)
    {
        lock (_contractLock)
        {
            return _contract ??= FetchContractAsync();
        }

        async Task<OpenApiContract> FetchContractAsync()
        {
            // As a caller of its own, so reading the document takes nothing from a test's request budget.
            using var client = base.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Cognito.UserToken("openapi-contract-check"));
            using var response = await client.GetAsync("/openapi/v1.json", CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            // A document that cannot be generated (an undescribed status or parameter) says why in the log.
            return response.IsSuccessStatusCode
                ? OpenApiContract.For(text)
                : throw new InvalidOperationException(
                    $"The host does not serve its OpenAPI document ({(int)response.StatusCode}): " +
                    (Logs.Events.LastOrDefault(e => e.Exception is not null)?.Exception?.Message ?? text));
        }
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
        if (Database is not null && _ownsDatabase)
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
