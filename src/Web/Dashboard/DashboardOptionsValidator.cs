using MetricsEngine.Web.Authentication;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Dashboard;

/// <summary>
/// Refuses to start with dashboard settings that are certainly a mistake: an unknown sign-in mode,
/// half of the Cognito settings, a domain that is not an https origin, or a client id the API
/// itself would refuse. Neither Cognito setting at all is not a mistake (an API without people
/// signing in): the host starts, says so in its log, and config.json answers 503 naming them.
/// </summary>
internal sealed class DashboardOptionsValidator(IHostEnvironment environment, IOptions<AuthOptions> auth) : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        var mode = DashboardSite.ModeFor(options, DashboardSite.LocalIssuerInUse(auth.Value, environment));
        if (mode is not (DashboardOptions.LocalMode or DashboardOptions.CognitoMode))
        {
            failures.Add($"Dashboard__AuthMode must be '{DashboardOptions.LocalMode}' or '{DashboardOptions.CognitoMode}', not '{options.AuthMode}'.");
        }

        var hasDomain = !string.IsNullOrWhiteSpace(options.CognitoDomain);
        var hasClient = !string.IsNullOrWhiteSpace(options.ClientId);
        if (hasDomain && !DashboardSite.TryParseOrigin(options.CognitoDomain!, out _))
        {
            failures.Add($"Dashboard__CognitoDomain must be the hosted UI's origin, such as https://my-prefix.auth.eu-west-1.amazoncognito.com, not '{options.CognitoDomain}'.");
        }

        if (mode == DashboardOptions.CognitoMode && hasDomain != hasClient)
        {
            failures.Add(hasDomain
                ? "Dashboard__CognitoDomain is set but Dashboard__ClientId is not: set it to the app client people sign in with."
                : "Dashboard__ClientId is set but Dashboard__CognitoDomain is not: set it to the hosted UI, https://<prefix>.auth.<region>.amazoncognito.com.");
        }

        if (mode == DashboardOptions.CognitoMode && hasClient && !auth.Value.ClientIds.Contains(options.ClientId!.Trim(), StringComparer.Ordinal))
        {
            failures.Add($"Dashboard__ClientId '{options.ClientId}' is not one of Auth__ClientIds, so the API would refuse every token the dashboard signs in with: add it as Auth__ClientIds__N.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
