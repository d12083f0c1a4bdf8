using MetricsEngine.AcceptanceTests.Runner;
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

[Binding]
public sealed class FeatureHooks
{
    [BeforeFeature]
    public static void ShareOneApiPerFeature(FeatureContext feature) =>
        feature.FeatureContainer.RegisterInstanceAs(new FeatureApi(), dispose: true);
}
