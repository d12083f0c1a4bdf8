using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Authentication;

/// <summary>
/// Every token shape docs/product.md#authentication refuses gets 401 with a bearer challenge; a Cognito access token
/// from an allowed client gets in. Tokens are real RS256 JWTs whose keys the API fetches over HTTP.
/// </summary>
public sealed class TokenValidationTests : ApiFixture
{
    private static readonly Dictionary<string, Func<TestCognito, string>> RefusedTokens = new()
    {
        ["malformed: two segments"] = c => string.Join('.', c.Token().Split('.').Take(2)),
        ["malformed: not a JWT"] = _ => "not-a-token",
        ["expired beyond the clock skew"] = c => c.Token(t => t with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddMinutes(-2) }),
        ["not valid before a time in the future"] = c => c.Token(t => t with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(5) }),
        ["without an expiry"] = c => c.Token(t => t with { Expires = null }),
        ["from another issuer"] = c => c.Token(t => t with { Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" }),
        ["for another app client"] = c => c.Token(t => t with { ClientId = TestCognito.OtherClientId }),
        ["an ID token"] = c => c.Token(t => t with { TokenUse = "id", Username = "alice" }),
        ["an ID token with the allowed client as audience"] = c => c.Token(t => t with { TokenUse = "id", Audience = TestCognito.ClientId }),
        ["with token_use missing"] = c => c.Token(t => t with { TokenUse = "" }),
        ["unsigned (alg none)"] = c => c.Token(t => t with { Algorithm = "none" }),
        ["HS256 keyed with the RSA public key"] = c => c.Token(t => t with { Algorithm = "HS256" }),
        ["with a tampered payload and the original signature"] = c => Tamper(c.Token()),
        ["signed by an unknown key"] = c => c.Token(t => t with { KeyId = "unknown-kid", Key = TestCognito.UnpublishedKey("unknown-kid") }),
        ["with the right kid but another key"] = c => c.Token(t => t with { Key = TestCognito.UnpublishedKey(t.KeyId!) }),
        ["without a kid"] = c => c.Token(t => t with { KeyId = null }),
        ["naming a kid the JWKS lacks, though signed by a key it has"] = c => c.Token(t => t with { KeyId = "not-in-the-jwks" }),
        ["with a crit header"] = c => c.Token(t => t with { Tamper = (header, _) => header["crit"] = new System.Text.Json.Nodes.JsonArray("exp") }),
        ["issued in the future beyond the clock skew"] = c => c.Token(t => t with { IssuedAt = DateTimeOffset.UtcNow.AddMinutes(5), Expires = DateTimeOffset.UtcNow.AddHours(1) }),
        ["without iat"] = c => c.Token(t => t with { Tamper = (_, payload) => payload.Remove("iat") }),
        ["living longer than Cognito issues (25 h)"] = c => c.Token(t => t with { Expires = t.IssuedAt.AddHours(25) }),
        ["with scope as an array"] = c => c.Token(t => t with { Tamper = (_, payload) => payload["scope"] = new System.Text.Json.Nodes.JsonArray("api/backend_access") }),
        ["with cognito:groups as a string"] = c => c.Token(t => t with { Tamper = (_, payload) => payload["cognito:groups"] = "metrics-readers" }),
    };

    public static IEnumerable<string> RefusedShapes => RefusedTokens.Keys;

    [TestCaseSource(nameof(RefusedShapes))]
    public async Task A_token_is_refused_with_401_and_a_bearer_challenge_when(string shape)
    {
        using var client = Api.CreateClient(RefusedTokens[shape](Api.Cognito));

        var response = await client.GetAsync($"/metrics/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Test]
    public async Task Another_scheme_than_bearer_is_401()
    {
        using var client = Api.CreateClient(token: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("a:b"u8.ToArray()));

        var response = await client.GetAsync($"/metrics/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_token_expired_within_the_clock_skew_is_still_accepted()
    {
        using var client = Api.CreateClient(Api.Cognito.Token(t => t with { Expires = DateTimeOffset.UtcNow.AddSeconds(-10) }));

        var response = await client.GetAsync($"/metrics/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task No_token_appears_in_any_log_line()
    {
        Api.Logs.Clear();
        var tokens = RefusedTokens.Values.Select(mint => mint(Api.Cognito)).Append(Api.Cognito.Token()).ToList();
        foreach (var token in tokens)
        {
            using var client = Api.CreateClient(token);
            await client.GetAsync($"/metrics/{Guid.NewGuid()}");
        }

        var logs = Api.Logs.AllText();
        logs.ShouldNotBeEmpty();
        foreach (var token in tokens.Where(t => t.Contains('.', StringComparison.Ordinal)))
        {
            // The payload segment is the part that identifies a token; neither it nor the signature may leak.
            foreach (var segment in token.Split('.').Skip(1).Where(s => s.Length > 20))
            {
                logs.ShouldNotContain(segment);
            }
        }
    }

    /// <summary>Swaps the payload for one granting more, keeping header and signature.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1])));
        var forged = payload.Replace("\"scope\":\"api/backend_access\"", "\"scope\":\"api/metrics.admin\"", StringComparison.Ordinal);
        forged.ShouldNotBe(payload);
        return $"{parts[0]}.{TestCognito.Base64Url(Encoding.UTF8.GetBytes(forged))}.{parts[2]}";
    }

    private static string Pad(string base64Url)
    {
        var base64 = base64Url.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
    }
}
