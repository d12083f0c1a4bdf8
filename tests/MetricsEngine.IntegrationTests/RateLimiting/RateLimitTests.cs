using System.Net;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.RateLimiting;

/// <summary>
/// Each caller has a budget (docs/product.md#rate-limits: 429 with Retry-After); one caller over it does not slow
/// the others, and health probes are never limited.
/// </summary>
public sealed class RateLimitTests
{
    private const int Burst = 3;
    private const string Metric = "/metrics/00000000-0000-4000-8000-000000000001";

    private MetricsApi _api = null!;

    [SetUp]
    public async Task StartApi() => _api = await MetricsApi.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimit:PermitsPerSecond"] = "1",
        ["RateLimit:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [TearDown]
    public async Task StopApi() => await _api.DisposeAsync();

    [Test]
    public async Task A_caller_over_its_burst_gets_a_429_problem_with_retry_after()
    {
        using var alice = _api.CreateClient(_api.Cognito.UserToken("alice", "metrics-readers"));
        for (var i = 0; i < Burst; i++)
        {
            (await alice.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var refused = await alice.GetAsync(Metric);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().ShouldBe(429);
        problem["title"]!.GetValue<string>().ShouldBe("Too many requests");
        problem["detail"]!.GetValue<string>().ShouldStartWith("A caller may send 1 requests a second, in bursts of up to 3");
    }

    [Test]
    public async Task A_user_named_like_an_app_client_has_a_budget_of_its_own()
    {
        using var machine = _api.CreateClient(_api.Cognito.Token(t => t with { Scopes = ["api/metrics.read"] }));
        using var impostor = _api.CreateClient(_api.Cognito.UserToken($"client:{TestCognito.ClientId}", "metrics-readers"));
        for (var i = 0; i <= Burst; i++)
        {
            await machine.GetAsync(Metric);
        }

        (await machine.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await impostor.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Another_caller_is_not_slowed_by_one_over_its_budget()
    {
        using var alice = _api.CreateClient(_api.Cognito.UserToken("alice", "metrics-readers"));
        using var bob = _api.CreateClient(_api.Cognito.UserToken("bob", "metrics-readers"));
        for (var i = 0; i <= Burst; i++)
        {
            await alice.GetAsync(Metric);
        }

        (await alice.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await bob.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Two_tokens_of_one_user_share_the_users_budget()
    {
        using var first = _api.CreateClient(_api.Cognito.UserToken("alice", "metrics-readers"));
        using var second = _api.CreateClient(_api.Cognito.UserToken("alice", "metrics-readers"));
        for (var i = 0; i < Burst; i++)
        {
            await first.GetAsync(Metric);
        }

        (await second.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Requests_without_a_valid_token_are_limited_too()
    {
        using var anonymous = _api.CreateClient(token: "not-a-token");
        for (var i = 0; i < Burst; i++)
        {
            (await anonymous.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await anonymous.GetAsync(Metric)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Health_probes_are_never_limited()
    {
        using var probe = _api.CreateClient(token: null);
        for (var i = 0; i < Burst * 3; i++)
        {
            (await probe.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
