using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Authentication;

/// <summary>Refuses to start with an auth configuration that would accept the wrong tokens or none.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.Local.Enabled && !environment.IsDevelopment())
        {
            failures.Add($"The local development token issuer is enabled in the '{environment.EnvironmentName}' environment. " +
                "It exists for Development only: set Auth__Local__Enabled=false and configure Auth__Authority " +
                "(or Auth__Region and Auth__UserPoolId).");
        }

        if (options.EffectiveAuthority is null && !options.Local.Enabled)
        {
            failures.Add("No token issuer is configured: set Auth__Authority, or Auth__Region and Auth__UserPoolId.");
        }

        if (options.EffectiveAuthority is not null && !options.ClientIds.Any(id => !string.IsNullOrWhiteSpace(id)))
        {
            failures.Add("No app client is allowed: set Auth__ClientIds__0 (and __1, ...) to the Cognito app client ids whose access tokens the API accepts.");
        }

        if (options.ClockSkewSeconds is < 0 or > 60)
        {
            failures.Add("Auth__ClockSkewSeconds must be between 0 and 60.");
        }

        if (options.KeyRefreshIntervalSeconds < 1)
        {
            failures.Add("Auth__KeyRefreshIntervalSeconds must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
