using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Web.Authentication;

/// <summary>The caller as the validated token names it.</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public const string System = "system";

    public string Id
    {
        get
        {
            var user = accessor.HttpContext?.User;
            if (user?.Identity?.IsAuthenticated != true)
            {
                return System;
            }

            return user.FindFirst(CognitoClaims.Username)?.Value
                ?? (user.FindFirst(CognitoClaims.ClientId)?.Value is { } client ? $"client:{client}" : null)
                ?? user.FindFirst(CognitoClaims.Subject)?.Value
                ?? System;
        }
    }
}
