namespace MetricsEngine.Web.Authentication;

/// <summary>Token validation settings (configuration section <c>Auth</c>, docs/product.md#authentication and #configuration).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Issuer URL. Wins over <see cref="Region"/> + <see cref="UserPoolId"/>; any URL works (local emulators).</summary>
    public string? Authority { get; set; }

    public string? Region { get; set; }
    public string? UserPoolId { get; set; }

    /// <summary>App clients whose access tokens are accepted (<c>client_id</c> claim).</summary>
    public List<string> ClientIds { get; set; } = [];

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Tolerance for clocks that disagree; at most 60 seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Least time between two JWKS refreshes caused by unknown key ids.</summary>
    public int KeyRefreshIntervalSeconds { get; set; } = 300;

    /// <summary>The longest lifetime (exp - iat) accepted: Cognito issues access tokens for at most 24 hours.</summary>
    public int MaxTokenLifetimeHours { get; set; } = 24;

    public LocalIssuerOptions Local { get; set; } = new();

    /// <summary>The issuer URL in effect, or null when only the local issuer is configured.</summary>
    public string? EffectiveAuthority =>
        !string.IsNullOrWhiteSpace(Authority) ? Authority.TrimEnd('/')
        : !string.IsNullOrWhiteSpace(Region) && !string.IsNullOrWhiteSpace(UserPoolId)
            ? $"https://cognito-idp.{Region}.amazonaws.com/{UserPoolId}"
            : null;
}

/// <summary>The Development-only issuer that lets the API run without AWS.</summary>
public sealed class LocalIssuerOptions
{
    public bool Enabled { get; set; }

    /// <summary>Where the signing key is kept (created on first use), relative to the content root.</summary>
    public string KeyPath { get; set; } = ".data/dev-signing-key.pem";

    public string ClientId { get; set; } = "metricsengine-local";
}
