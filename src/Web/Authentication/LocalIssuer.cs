using System.Security.Cryptography;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// A stand-in for Cognito in Development: an RSA key kept under <c>.data/</c> (created on first
/// use) that signs access tokens shaped exactly like Cognito's, so local calls exercise the same
/// validation as production. Never registered outside Development.
/// </summary>
public sealed class LocalIssuer
{
    public const string Issuer = "urn:metricsengine:local-development";

    private LocalIssuer(RsaSecurityKey key) => SigningKey = key;

    public RsaSecurityKey SigningKey { get; }

    public static LocalIssuer LoadOrCreate(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                using var writer = new StreamWriter(file);
                writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (the API or the token verb) created it first: use theirs.
                rsa.ImportFromPem(File.ReadAllText(path));
            }
        }

        var keyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportParameters(false).Modulus!))[..16];
        return new LocalIssuer(new RsaSecurityKey(rsa) { KeyId = keyId });
    }

    /// <summary>A Cognito-shaped access token: <c>token_use=access</c>, <c>client_id</c>, a space-separated <c>scope</c>.</summary>
    public string CreateAccessToken(LocalTokenRequest request, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [CognitoClaims.Subject] = request.Subject,
            [CognitoClaims.TokenUse] = CognitoClaims.AccessTokenUse,
            [CognitoClaims.ClientId] = request.ClientId,
            [CognitoClaims.Scope] = string.Join(' ', request.Scopes),
            ["auth_time"] = EpochTime.GetIntDate(now),
            ["jti"] = Guid.NewGuid().ToString(),
            ["origin_jti"] = Guid.NewGuid().ToString(),
        };
        if (request.Username is { } username)
        {
            claims[CognitoClaims.Username] = username;
        }

        if (request.Groups.Count > 0)
        {
            claims[CognitoClaims.Groups] = request.Groups.ToArray();
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + request.Lifetime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>What a local token says. A null <see cref="Username"/> makes a machine (client-credentials) token.</summary>
public sealed record LocalTokenRequest(
    string ClientId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Groups,
    string? Username,
    string Subject,
    TimeSpan Lifetime);
