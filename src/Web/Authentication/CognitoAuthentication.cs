using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// Bearer authentication for Cognito access tokens (docs/product.md#authentication): RS256 only, keys from the issuer's
/// JWKS (refreshed when an unknown key id shows up), <c>token_use</c> must be <c>access</c> and
/// <c>client_id</c> an allowed app client. Access tokens carry no <c>aud</c>; the audience check
/// is replaced by that per-kind check rather than switched off.
/// </summary>
public static class CognitoAuthentication
{
    /// <summary>The default scheme: forwards to Cognito or, in Development, to the local issuer.</summary>
    public const string BearerScheme = "Bearer";
    public const string CognitoScheme = "Cognito";
    public const string LocalScheme = "LocalDevelopment";

    private const string JwksClient = "cognito-jwks";

    public static IServiceCollection AddCognitoAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        // Both schemes are always registered and configured from options when first used, so the
        // configuration in effect (including a test host's) decides, not the one seen at start-up.
        services.AddAuthentication(BearerScheme)
            .AddPolicyScheme(BearerScheme, "Bearer token", options =>
                options.ForwardDefaultSelector = context => SelectScheme(context))
            .AddJwtBearer(CognitoScheme, _ => { })
            .AddJwtBearer(LocalScheme, _ => { });

        // Outside local development every token goes to Cognito: name it the default scheme, and
        // requests skip the forwarding hop (a handler built and run per request, for nothing).
        services.AddOptions<AuthenticationOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            if (!UsesLocalIssuer(provider))
            {
                options.DefaultScheme = CognitoScheme;
            }
        });

        services.AddHttpClient(JwksClient, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddOptions<JwtBearerOptions>(CognitoScheme).Configure<IOptions<AuthOptions>, IHttpClientFactory, TimeProvider>((options, auth, http, clock) =>
        {
            ConfigureValidation(options, auth.Value, auth.Value.ClientIds, clock);
            if (auth.Value.EffectiveAuthority is not { } authority)
            {
                return;
            }

            options.Authority = authority;
            options.RequireHttpsMetadata = auth.Value.RequireHttpsMetadata;
            options.MetadataAddress = $"{authority}/.well-known/openid-configuration";
            options.ConfigurationManager = new SigningKeySource(
                options.MetadataAddress,
                new HttpDocumentRetriever(http.CreateClient(JwksClient)) { RequireHttps = auth.Value.RequireHttpsMetadata },
                TimeSpan.FromSeconds(Math.Max(1, auth.Value.KeyRefreshIntervalSeconds)),
                clock);
        });

        services.AddSingleton(provider => LocalIssuer.LoadOrCreate(Path.Combine(
            provider.GetRequiredService<IHostEnvironment>().ContentRootPath,
            provider.GetRequiredService<IOptions<AuthOptions>>().Value.Local.KeyPath)));
        services.AddOptions<JwtBearerOptions>(LocalScheme).Configure<IOptions<AuthOptions>, IServiceProvider>((options, auth, provider) =>
        {
            ConfigureValidation(options, auth.Value, [auth.Value.Local.ClientId], provider.GetRequiredService<TimeProvider>());
            options.TokenValidationParameters.ValidIssuer = LocalIssuer.Issuer;
            if (UsesLocalIssuer(provider))
            {
                options.TokenValidationParameters.IssuerSigningKey = provider.GetRequiredService<LocalIssuer>().SigningKey;
            }
        });

        return services;
    }

    /// <summary>The local issuer is trusted only in Development and only when enabled.</summary>
    public static bool UsesLocalIssuer(IServiceProvider services) =>
        services.GetRequiredService<IOptions<AuthOptions>>().Value.Local.Enabled
        && services.GetRequiredService<IHostEnvironment>().IsDevelopment();

    private static void ConfigureValidation(JwtBearerOptions options, AuthOptions auth, IEnumerable<string> clientIds, TimeProvider clock)
    {
        var allowedClients = clientIds.Where(id => !string.IsNullOrWhiteSpace(id)).ToHashSet(StringComparer.Ordinal);
        options.MapInboundClaims = false;
        // Nothing reads the token back from the authentication properties; storing it cost every
        // request a dictionary and two formatted dates.
        options.SaveToken = false;
        var handlers = options.TokenHandlers.Select(handler => new ValidatedTokenCache(handler, clock)).ToList();
        options.TokenHandlers.Clear();
        handlers.ForEach(options.TokenHandlers.Add);

        // Modify, never replace: the handler fills issuer and keys from discovery into this object.
        var parameters = options.TokenValidationParameters;
        parameters.ValidateIssuer = true;
        parameters.ValidateIssuerSigningKey = true;
        parameters.RequireSignedTokens = true;
        parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.ClockSkew = TimeSpan.FromSeconds(Math.Clamp(auth.ClockSkewSeconds, 0, 60));
        parameters.ValidateAudience = true;
        parameters.AudienceValidator = (_, token, _) => IsAllowedAccessToken(token, allowedClients, auth, clock);

        // A kid the JWKS lacks is refused even if another published key would verify the signature.
        parameters.TryAllIssuerSigningKeys = false;
        parameters.NameClaimType = CognitoClaims.Username;
        parameters.RoleClaimType = CognitoClaims.Groups;

        options.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = async context =>
            {
                if (await KeyRotation.TryRevalidateWithFreshKeysAsync(context))
                {
                    return;
                }

                // Failures outside token validation (JWKS unreachable) would otherwise surface as 500.
                if (context.Exception is not SecurityTokenException)
                {
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                        .CreateLogger(typeof(CognitoAuthentication))
                        .LogWarning("Token rejected because signing keys could not be obtained: {Reason}", context.Exception.Message);
                }

                context.Fail(context.Exception);
            },
        };
    }

    /// <summary>
    /// A Cognito access token for one of our app clients, to the letter: <c>token_use</c> is
    /// <c>access</c>, <c>client_id</c> is allowed, the header names its key (Cognito always sends a
    /// kid) and asks for no critical extension (<c>crit</c>, which nothing here implements), it was
    /// issued (<c>iat</c>) no later than now plus the clock skew and lives no longer than Cognito
    /// issues tokens for, and <c>scope</c> is a string and <c>cognito:groups</c> an array, as
    /// Cognito writes them.
    /// </summary>
    private static bool IsAllowedAccessToken(SecurityToken token, HashSet<string> allowedClients, AuthOptions auth, TimeProvider clock)
    {
        if (token is not JsonWebToken jwt
            || string.IsNullOrEmpty(jwt.Kid)
            || jwt.TryGetHeaderValue<object>("crit", out _)
            || !jwt.TryGetPayloadValue<string>(CognitoClaims.TokenUse, out var tokenUse) || tokenUse != CognitoClaims.AccessTokenUse
            || !jwt.TryGetPayloadValue<string>(CognitoClaims.ClientId, out var clientId) || !allowedClients.Contains(clientId)
            || !jwt.TryGetPayloadValue<long>("iat", out var issuedAt))
        {
            return false;
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedAt);
        var skew = TimeSpan.FromSeconds(Math.Clamp(auth.ClockSkewSeconds, 0, 60));
        if (issued > clock.GetUtcNow() + skew || jwt.ValidTo - issued.UtcDateTime > TimeSpan.FromHours(Math.Max(1, auth.MaxTokenLifetimeHours)))
        {
            return false;
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        return ClaimIs(payload, CognitoClaims.Scope, JsonValueKind.String) && ClaimIs(payload, CognitoClaims.Groups, JsonValueKind.Array);
    }

    /// <summary>The claim is absent or of the JSON kind Cognito writes it as.</summary>
    private static bool ClaimIs(JsonDocument payload, string claim, JsonValueKind kind) =>
        !payload.RootElement.TryGetProperty(claim, out var value) || value.ValueKind == kind;

    private static string SelectScheme(HttpContext context)
    {
        var services = context.RequestServices;
        var useCognito = services.GetRequiredService<IOptions<AuthOptions>>().Value.EffectiveAuthority is not null;
        return UsesLocalIssuer(services) && (!useCognito || IssuerOf(context) == LocalIssuer.Issuer)
            ? LocalScheme
            : CognitoScheme;
    }

    /// <summary>The unverified issuer, only to pick which scheme will verify the token.</summary>
    private static string? IssuerOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var handler = new JsonWebTokenHandler();
        var token = header[prefix.Length..].Trim();
        return handler.CanReadToken(token) ? handler.ReadJsonWebToken(token).Issuer : null;
    }
}
