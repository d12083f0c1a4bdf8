using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Testing;

/// <summary>
/// A Cognito user pool as the API sees one: OpenID discovery and JWKS served over real HTTP on
/// loopback, and RS256 tokens shaped like Cognito's. Tokens are assembled by hand (header,
/// payload, signature) rather than with the library under test, so every malformed shape a
/// client could send can be produced.
/// </summary>
public sealed class TestCognito : IAsyncDisposable
{
    public const string PoolId = "eu-west-1_TestPool";
    public const string ClientId = "test-app-client";
    public const string OtherClientId = "someone-elses-client";

    private readonly WebApplication _server;
    private readonly List<SigningKey> _published = [];
    private int _jwksRequests;

    private TestCognito(WebApplication server, string baseAddress)
    {
        _server = server;
        Authority = $"{baseAddress}/{PoolId}";
        CurrentKey = AddKey("key-1");
    }

    /// <summary>The issuer URL, as <c>https://cognito-idp.{region}.amazonaws.com/{pool}</c> would be.</summary>
    public string Authority { get; }

    public SigningKey CurrentKey { get; private set; }

    /// <summary>How many times the JWKS document was fetched.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>When true, discovery and JWKS answer 503, as an unreachable pool would.</summary>
    public bool Unavailable { get; set; }

    public static async Task<TestCognito> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = builder.Build();
        TestCognito? cognito = null;
        server.MapGet($"/{PoolId}/.well-known/openid-configuration", () => cognito!.Discovery());
        server.MapGet($"/{PoolId}/.well-known/jwks.json", () => cognito!.Jwks());
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        cognito = new TestCognito(server, address.TrimEnd('/'));
        return cognito;
    }

    /// <summary>Publishes another key in the JWKS (as Cognito does when it rotates).</summary>
    public SigningKey AddKey(string keyId)
    {
        var key = new SigningKey(keyId, RSA.Create(2048));
        lock (_published)
        {
            _published.Add(key);
        }

        return key;
    }

    /// <summary>Publishes a new key and signs new tokens with it.</summary>
    public SigningKey Rotate(string keyId) => CurrentKey = AddKey(keyId);

    /// <summary>A key that is in no JWKS.</summary>
    public static SigningKey UnpublishedKey(string keyId) => new(keyId, RSA.Create(2048));

    /// <summary>A valid access token (client credentials flow) unless <paramref name="configure"/> says otherwise.</summary>
    public string Token(Func<TokenSpec, TokenSpec>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var spec = new TokenSpec(
            Issuer: Authority,
            TokenUse: "access",
            ClientId: ClientId,
            Scopes: ["api/backend_access"],
            Groups: [],
            Username: null,
            Subject: Guid.NewGuid().ToString(),
            IssuedAt: now,
            Expires: now.AddHours(1),
            NotBefore: null,
            Audience: null,
            Algorithm: "RS256",
            KeyId: CurrentKey.KeyId,
            Key: CurrentKey);
        return Mint(configure?.Invoke(spec) ?? spec);
    }

    /// <summary>A user's access token carrying <c>cognito:groups</c> and no scopes beyond <c>openid</c>.</summary>
    public string UserToken(string username, params string[] groups) =>
        Token(t => t with { Username = username, Groups = groups, Scopes = ["openid"] });

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        lock (_published)
        {
            foreach (var key in _published)
            {
                key.Rsa.Dispose();
            }
        }
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Mint(TokenSpec spec)
    {
        var header = new JsonObject { ["alg"] = spec.Algorithm };
        if (spec.KeyId is not null)
        {
            header["kid"] = spec.KeyId;
        }

        var payload = new JsonObject
        {
            ["sub"] = spec.Subject,
            ["iss"] = spec.Issuer,
            ["token_use"] = spec.TokenUse,
            ["iat"] = spec.IssuedAt.ToUnixTimeSeconds(),
            ["auth_time"] = spec.IssuedAt.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (spec.Expires is { } expires)
        {
            payload["exp"] = expires.ToUnixTimeSeconds();
        }

        if (spec.NotBefore is { } notBefore)
        {
            payload["nbf"] = notBefore.ToUnixTimeSeconds();
        }

        if (spec.TokenUse == "id")
        {
            payload["aud"] = spec.Audience ?? spec.ClientId;
            payload["cognito:username"] = spec.Username ?? "user";
        }
        else
        {
            payload["client_id"] = spec.ClientId;
            payload["scope"] = string.Join(' ', spec.Scopes);
            if (spec.Audience is not null)
            {
                payload["aud"] = spec.Audience;
            }
        }

        if (spec.Username is not null)
        {
            payload["username"] = spec.Username;
        }

        if (spec.Groups.Count > 0)
        {
            payload["cognito:groups"] = new JsonArray([.. spec.Groups.Select(g => (JsonNode)g)]);
        }

        spec.Tamper?.Invoke(header, payload);
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        return $"{signingInput}.{Sign(spec, signingInput)}";
    }

    private static string Sign(TokenSpec spec, string signingInput) => spec.Algorithm switch
    {
        "none" => string.Empty,
        "RS256" => Base64Url(spec.Key.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
        // The classic key-confusion attack: HMAC keyed with the RSA public key the JWKS publishes.
        "HS256" => Base64Url(HMACSHA256.HashData(spec.Key.Rsa.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(signingInput))),
        _ => throw new ArgumentException($"Cannot sign with {spec.Algorithm}."),
    };

    private IResult Discovery() => Unavailable
        ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
        : Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/.well-known/jwks.json",
            ["authorization_endpoint"] = $"{Authority}/oauth2/authorize",
            ["token_endpoint"] = $"{Authority}/oauth2/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code", "token" },
            ["subject_types_supported"] = new[] { "public" },
        });

    private IResult Jwks()
    {
        Interlocked.Increment(ref _jwksRequests);
        if (Unavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        lock (_published)
        {
            var keys = _published.Select(k =>
            {
                var parameters = k.Rsa.ExportParameters(false);
                return new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["kid"] = k.KeyId,
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["n"] = Base64Url(parameters.Modulus!),
                    ["e"] = Base64Url(parameters.Exponent!),
                };
            }).ToList();
            return Results.Text(JsonSerializer.Serialize(new { keys }), "application/json");
        }
    }
}

public sealed record SigningKey(string KeyId, RSA Rsa);

/// <summary>Everything a test may vary in a token. <see cref="Expires"/> null leaves out <c>exp</c>.</summary>
public sealed record TokenSpec(
    string Issuer,
    string TokenUse,
    string ClientId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Groups,
    string? Username,
    string Subject,
    DateTimeOffset IssuedAt,
    DateTimeOffset? Expires,
    DateTimeOffset? NotBefore,
    string? Audience,
    string Algorithm,
    string? KeyId,
    SigningKey Key)
{
    /// <summary>A last change to the header or payload before signing (a <c>crit</c> header, a claim of the wrong JSON type).</summary>
    public Action<JsonObject, JsonObject>? Tamper { get; init; }
}
