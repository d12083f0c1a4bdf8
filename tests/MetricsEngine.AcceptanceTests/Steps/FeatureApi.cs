using TechTalk.SpecFlow;
using MetricsEngine.Testing;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>
/// The API host the scenarios of one feature share: starting a host (database, Cognito stand-in,
/// test server) is the slow part, while the scenarios only add their own metrics. It starts on
/// first use, so Background steps can configure it first, and a feature whose scenarios each
/// bring their own host never starts it.
/// </summary>
public sealed class FeatureApi : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private MetricsApi? _api;

    public void Configure(string key, string value)
    {
        if (_api is null)
        {
            _settings[key] = value;
        }
        else if (!_settings.TryGetValue(key, out var current) || current != value)
        {
            throw new InvalidOperationException(
                $"The feature's API already runs without {key}={value}; configure it in the Background, before the first call.");
        }
    }

    public async Task<MetricsApi> GetAsync() => _api ??= await MetricsApi.StartAsync(_settings);

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}

/// <summary>
/// Lifetimes SpecFlow's container does not manage: it disposes only <see cref="IDisposable"/>
/// objects, while a host is stopped asynchronously.
/// </summary>
[Binding]
public sealed class LifetimeHooks(Conversation conversation)
{
    /// <summary>
    /// Registered on the feature's container, which is the parent of each scenario's, so every
    /// scenario's <see cref="Conversation"/> is built with the same one.
    /// </summary>
    [BeforeFeature]
    public static void ShareOneApiPerFeature(FeatureContext feature) =>
        feature.FeatureContainer.RegisterInstanceAs(new FeatureApi());

    [AfterFeature]
    public static async Task StopTheFeaturesApi(FeatureContext feature) =>
        await feature.FeatureContainer.Resolve<FeatureApi>().DisposeAsync();

    /// <summary>Runs after every scenario, also one whose steps failed.</summary>
    [AfterScenario]
    public async Task EndTheConversation() => await conversation.DisposeAsync();
}
