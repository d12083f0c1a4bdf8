using System.Security.Claims;
using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// The caller as the validated token names it. Scoped, so one request asks the claims once: the
/// rate limiter, the "Endpoint called" scope and the handler all read the same answer. It is kept
/// for the principal it was worked out from, so a principal set later (authentication runs after
/// something asked) is read afresh.
/// </summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public const string System = "system";

    private (ClaimsPrincipal? User, string Id, string CallerKey)? _known;

    public string Id => Known().Id;

    public string CallerKey => Known().CallerKey;

    private (ClaimsPrincipal? User, string Id, string CallerKey) Known()
    {
        var http = accessor.HttpContext;
        var user = http?.User;
        if (_known is { } known && ReferenceEquals(known.User, user))
        {
            return known;
        }

        var caller = CognitoClaims.CallerOf(user);
        var key = http is null ? System
            : caller?.Key ?? CognitoClaims.AddressKeyOf(http.Connection.RemoteIpAddress);
        _known = (user, caller?.Name ?? System, key);
        return _known.Value;
    }
}
