using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Authentication;

/// <summary>Keys come from the issuer's JWKS: rotation needs no restart, and an unreachable JWKS is a 401, not a 500.</summary>
public sealed class SigningKeyTests
{
    private const string Endpoint = "/metrics/00000000-0000-4000-8000-000000000001";

    [Test]
    public async Task A_key_published_after_start_up_is_accepted_without_a_restart()
    {
        await using var api = await MetricsApi.StartAsync();
        using (var before = api.CreateClient(api.Cognito.Token()))
        {
            (await before.GetAsync(Endpoint)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        api.Cognito.Rotate("key-2");
        using var after = api.CreateClient(api.Cognito.Token());

        // The very first request signed with the new key gets in; the JWKS was fetched once more for it.
        (await after.GetAsync(Endpoint)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        api.Cognito.JwksRequests.ShouldBe(2);
    }

    [Test]
    public async Task A_flood_of_unknown_key_ids_does_not_hammer_the_jwks_endpoint()
    {
        await using var api = await MetricsApi.StartAsync();
        using (var warmUp = api.CreateClient(api.Cognito.Token()))
        {
            await warmUp.GetAsync(Endpoint);
        }

        for (var i = 0; i < 25; i++)
        {
            using var client = api.CreateClient(api.Cognito.Token(t => t with { KeyId = $"bogus-{i}", Key = TestCognito.UnpublishedKey($"bogus-{i}") }));
            (await client.GetAsync(Endpoint)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // One fetch at start, at most one refresh for the whole flood (the refresh interval is minutes).
        api.Cognito.JwksRequests.ShouldBeLessThanOrEqualTo(2);
    }

    [Test]
    public async Task With_the_jwks_unreachable_the_api_starts_refuses_tokens_with_401_and_ready_says_why_until_it_answers()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?> { ["Auth:KeyRefreshIntervalSeconds"] = "1" });
        api.Cognito.Unavailable = true;
        using var client = api.CreateClient(api.Cognito.Token());
        using var probe = api.CreateClient(token: null);

        (await client.GetAsync(Endpoint)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var notReady = await probe.GetAsync("/health/ready");
        notReady.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await notReady.Content.ReadFromJsonAsync<JsonNode>())!["checks"]!["signing-keys"]!["description"]!.GetValue<string>()
            .ShouldBe($"Cannot fetch the signing keys of {api.Cognito.Authority}; every token is refused until it answers.");
        (await probe.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        api.Cognito.Unavailable = false;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        (await client.GetAsync(Endpoint)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await probe.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
