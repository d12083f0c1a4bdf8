using System.Security.Claims;

namespace MetricsEngine.Web.Authentication;

/// <summary>Claim names as Cognito writes them (inbound claim mapping is off, so they stay as is).</summary>
public static class CognitoClaims
{
    public const string TokenUse = "token_use";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Groups = "cognito:groups";
    public const string Username = "username";
    public const string Subject = "sub";
    public const string AccessTokenUse = "access";

    /// <summary>
    /// Who is calling, as a validated token names them: the user's <c>username</c>, else
    /// <c>client:&lt;client_id&gt;</c> for machine tokens, else the subject; null when unauthenticated.
    /// </summary>
    public static string? CallerOf(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated != true
            ? null
            : user.FindFirst(Username)?.Value
                ?? (user.FindFirst(ClientId)?.Value is { } client ? $"client:{client}" : null)
                ?? user.FindFirst(Subject)?.Value;
}
