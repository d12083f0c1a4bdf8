using System.Net;
using MetricsEngine.Testing;
using MetricsEngine.Web.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Authentication;

/// <summary>
/// Local development without AWS (docs/product.md#local-development-tokens): in Development the API trusts the local issuer beside
/// the configured pool, choosing per token; anywhere else only the pool's tokens are accepted.
/// </summary>
public sealed class LocalIssuerTests
{
    private const string UnknownMetric = "/metrics/00000000-0000-4000-8000-000000000001";

    private string _keyPath = null!;

    [SetUp]
    public void ChooseKeyPath() => _keyPath = Path.Combine(Path.GetTempPath(), $"dev-key-{Guid.NewGuid():N}.pem");

    [TearDown]
    public void DeleteKey() => File.Delete(_keyPath);

    [Test]
    public async Task In_development_both_local_and_pool_tokens_are_let_through()
    {
        await using var api = await MetricsApi.StartInEnvironmentAsync("Development", new Dictionary<string, string?>
        {
            ["Auth:Local:Enabled"] = "true",
            ["Auth:Local:KeyPath"] = _keyPath,
        });
        using var local = api.CreateClient(LocalToken(api.Services.GetRequiredService<LocalIssuer>()));
        using var pool = api.CreateAuthorizedClient();

        // 404: the token was accepted and the permission granted; only the metric is missing.
        (await local.GetAsync(UnknownMetric)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await pool.GetAsync(UnknownMetric)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Outside_development_a_local_token_is_refused()
    {
        await using var api = await MetricsApi.StartAsync();
        using var local = api.CreateClient(LocalToken(LocalIssuer.LoadOrCreate(_keyPath)));

        var response = await local.GetAsync(UnknownMetric);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldNotBeEmpty();
    }

    private static string LocalToken(LocalIssuer issuer) => issuer.CreateAccessToken(
        new LocalTokenRequest("metricsengine-local", ["api/backend_access"], [], "local-developer", Guid.NewGuid().ToString(), TimeSpan.FromMinutes(5)),
        TimeProvider.System);
}
