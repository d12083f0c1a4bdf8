using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Web.Authentication;

/// <summary>The caller as the validated token names it.</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public const string System = "system";

    public string Id => CognitoClaims.CallerOf(accessor.HttpContext?.User) ?? System;

    public string CallerKey => accessor.HttpContext is { } http
        ? CognitoClaims.CallerKeyOf(http.User) ?? CognitoClaims.AddressKeyOf(http.Connection.RemoteIpAddress)
        : System;
}
