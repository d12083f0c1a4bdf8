using MetricsEngine.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Authorization;

public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

/// <summary>
/// Grants a permission when the token carries one of its scopes or groups, or those of a
/// permission that implies it. Cognito's <c>scope</c> claim is one space-separated string; it is
/// split and compared by whole names, so <c>api/backend_access_x</c> is not <c>api/backend_access</c>.
/// </summary>
internal sealed class PermissionHandler(IOptionsMonitor<PermissionOptions> options) : AuthorizationHandler<PermissionRequirement>
{
    private (PermissionOptions Source, Dictionary<Permission, (IReadOnlySet<string> Scopes, IReadOnlySet<string> Groups)> Grants)? _resolved;

    // Resolved once per configuration, not on every request.
    private Dictionary<Permission, (IReadOnlySet<string> Scopes, IReadOnlySet<string> Groups)> Grants(PermissionOptions current)
    {
        if (_resolved is { } resolved && ReferenceEquals(resolved.Source, current))
        {
            return resolved.Grants;
        }

        var grants = Enum.GetValues<Permission>().ToDictionary(p => p, current.For);
        _resolved = (current, grants);
        return grants;
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var user = context.User;
        var scopes = user.FindAll(CognitoClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var groups = user.FindAll(CognitoClaims.Groups).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

        var grants = Grants(options.CurrentValue);
        if (Permissions.GrantedBy(requirement.Permission).Any(granting =>
            {
                var (grantScopes, grantGroups) = grants[granting];
                return grantScopes.Overlaps(scopes) || grantGroups.Overlaps(groups);
            }))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
