using System.Text;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>The tokens a scenario can call with, by the names the feature files use.</summary>
public static class Tokens
{
    public static readonly Func<TestCognito, string?> Administrator =
        c => c.Token(t => t with { Scopes = ["api/backend_access", "api/metrics.admin"] });

    /// <summary>Every shape of token the API must refuse, in words a reader of the feature files recognises.</summary>
    public static readonly IReadOnlyDictionary<string, Func<TestCognito, string>> Refused = new Dictionary<string, Func<TestCognito, string>>
    {
        ["expired"] = c => c.Token(t => t with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddMinutes(-5) }),
        ["not valid yet"] = c => c.Token(t => t with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(10) }),
        ["without an expiry"] = c => c.Token(t => t with { Expires = null }),
        ["issued by another user pool"] = c => c.Token(t => t with { Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" }),
        ["issued to another app client"] = c => c.Token(t => t with { ClientId = TestCognito.OtherClientId }),
        ["an ID token instead of an access token"] = c => c.Token(t => t with { TokenUse = "id", Username = "alice" }),
        ["unsigned (alg none)"] = c => c.Token(t => t with { Algorithm = "none" }),
        ["signed with HS256 using the public key"] = c => c.Token(t => t with { Algorithm = "HS256" }),
        ["tampered with after signing"] = c => Tampered(c.Token(t => t with { Scopes = ["openid"] })),
        ["signed by a key the pool never published"] = c => c.Token(t => t with { KeyId = "unknown-kid", Key = TestCognito.UnpublishedKey("unknown-kid") }),
        ["signed by another key under the pool's key id"] = c => c.Token(t => t with { Key = TestCognito.UnpublishedKey(t.KeyId!) }),
        ["not a JWT at all"] = _ => "not-a-token",
    };

    /// <summary>Swaps in a payload granting admin, keeping the original header and signature.</summary>
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/')))))!;
        payload["scope"] = "api/backend_access api/metrics.admin";
        return $"{parts[0]}.{TestCognito.Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
