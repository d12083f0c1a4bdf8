using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests;

/// <summary>
/// A fixture whose tests share one API host: started once before the first test on a fresh,
/// migrated database of its own (<see cref="MetricsApi"/>), stopped after the last. Starting a
/// host is the slow part; tests then add only the data they need, so they do not depend on each
/// other's. A fixture says what differs: its <see cref="Settings"/>, whether the
/// <see cref="SampleMetrics"/> are imported, the caller <see cref="Client"/> speaks for, and what
/// the host depends on (<see cref="StartDependenciesAsync"/>). Work on the running host goes in
/// the fixture's own <c>[OneTimeSetUp]</c>, which NUnit runs after this one.
/// </summary>
/// <remarks>
/// A test that needs a host of its own (other settings, an empty database, a failing database)
/// starts one with <c>await using var api = await MetricsApi.StartAsync(...)</c> beside these.
/// How the test projects divide the work: docs/testing.md.
/// </remarks>
public abstract class ApiFixture
{
    private MetricsApi? _api;
    private HttpClient? _client;

    /// <summary>The fixture's host.</summary>
    protected MetricsApi Api => _api ?? throw NotStarted();

    /// <summary>A client of <see cref="Api"/> as the caller <see cref="CreateClient"/> names (by default, every permission).</summary>
    protected HttpClient Client => _client ?? throw NotStarted();

    /// <summary>Whether the <see cref="SampleMetrics"/> are imported before the first test (no: an empty database).</summary>
    protected virtual bool ImportsSampleMetrics => false;

    /// <summary>
    /// Settings on top of <see cref="MetricsApi"/>'s test defaults; they may name the fixture's own
    /// database (a connection string for another role, say).
    /// </summary>
    protected virtual IDictionary<string, string?> Settings(TestDatabase database) => new Dictionary<string, string?>();

    /// <summary>The caller <see cref="Client"/> speaks for: a machine token with every permission unless a fixture says otherwise.</summary>
    protected virtual HttpClient CreateClient() => Api.CreateAuthorizedClient();

    /// <summary>What the host depends on and its settings name (a stand-in server, files it serves), started before it.</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="StartDependenciesAsync"/> started, once the host has stopped.</summary>
    protected virtual Task StopDependenciesAsync() => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        await StartDependenciesAsync();
        _api = await MetricsApi.StartAsync(Settings);
        if (ImportsSampleMetrics)
        {
            using var files = SampleMetrics.Files();
            await _api.ImportAsync(files.Files);
        }

        _client = CreateClient();
    }

    // NUnit runs this also when a set-up failed part way, so each step checks what was started.
    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await StopDependenciesAsync();
    }

    private static InvalidOperationException NotStarted() =>
        new("The fixture's API starts in ApiFixture's [OneTimeSetUp]; it is not available before then (in a constructor or a test case source).");
}
