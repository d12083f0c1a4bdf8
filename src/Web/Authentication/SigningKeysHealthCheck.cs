using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// The issuer's signing keys can be fetched. Without them every token is refused, so the
/// instance should not get traffic; the description says which issuer could not be reached.
/// </summary>
internal sealed class SigningKeysHealthCheck(IOptionsMonitor<JwtBearerOptions> bearerOptions, IOptions<AuthOptions> auth) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (auth.Value.EffectiveAuthority is not { } authority)
        {
            return HealthCheckResult.Healthy("Only the local development issuer is configured.");
        }

        var manager = bearerOptions.Get(CognitoAuthentication.CognitoScheme).ConfigurationManager;
        if (manager is null)
        {
            return HealthCheckResult.Unhealthy($"No key source is configured for {authority}.");
        }

        try
        {
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            return configuration.SigningKeys.Count > 0
                ? HealthCheckResult.Healthy($"{configuration.SigningKeys.Count} signing key(s) from {authority}.")
                : HealthCheckResult.Unhealthy($"The JWKS of {authority} holds no signing keys.");
        }
        catch (InvalidOperationException e)
        {
            return HealthCheckResult.Unhealthy($"Cannot fetch the signing keys of {authority}; every token is refused until it answers.", e);
        }
    }
}
