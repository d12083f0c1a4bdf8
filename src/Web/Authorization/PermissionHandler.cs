using System.Security.Claims;
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
    private (PermissionOptions Source, Dictionary<Permission, Grant> Grants)? _resolved;

    // Resolved once per configuration, not on every request.
    private Dictionary<Permission, Grant> Grants(PermissionOptions current)
    {
        if (_resolved is { } resolved && ReferenceEquals(resolved.Source, current))
        {
            return resolved.Grants;
        }

        var grants = Enum.GetValues<Permission>().ToDictionary(p => p, p => new Grant(current.For(p)));
        _resolved = (current, grants);
        return grants;
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var grants = Grants(options.CurrentValue);
        foreach (var granting in Permissions.GrantedBy(requirement.Permission))
        {
            if (grants[granting].IsHeldBy(context.User))
            {
                context.Succeed(requirement);
                break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The scopes and groups that grant one permission, checked against a caller's claims.</summary>
    private sealed class Grant((IReadOnlySet<string> Scopes, IReadOnlySet<string> Groups) names)
    {
        private readonly HashSet<string> _groups = new(names.Groups, StringComparer.Ordinal);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _scopes =
            new HashSet<string>(names.Scopes, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        // Runs on every request: one walk over the claims, scopes split in place, nothing allocated.
        public bool IsHeldBy(ClaimsPrincipal user)
        {
            foreach (var claim in user.Claims)
            {
                if (claim.Type == CognitoClaims.Groups && _groups.Contains(claim.Value))
                {
                    return true;
                }

                if (claim.Type == CognitoClaims.Scope)
                {
                    var value = claim.Value.AsSpan();
                    foreach (var range in value.Split(' '))
                    {
                        if (!value[range].IsEmpty && _scopes.Contains(value[range]))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }
}
