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
        NamesOf(user) is not { } names ? null
            : names.Username ?? (names.ClientId is { } client ? $"client:{client}" : null) ?? names.Subject;

    /// <summary>
    /// The caller as per-caller limits count them; unlike <see cref="CallerOf"/> (a name for people
    /// to read, where a user may be called <c>client:x</c>), every kind has its own prefix, so no
    /// user, app client or subject can share another's key. Null when unauthenticated.
    /// </summary>
    public static string? CallerKeyOf(ClaimsPrincipal? user) =>
        NamesOf(user) is not { } names ? null
            : names.Username is { } name ? $"user:{name}"
            : names.ClientId is { } client ? $"client:{client}"
            : names.Subject is { } subject ? $"sub:{subject}"
            : null;

    /// <summary>The key of a caller without a valid token: its client address (as forwarded by trusted proxies).</summary>
    public static string AddressKeyOf(System.Net.IPAddress? address) => $"address:{address}";

    // One walk over the claims for all three names, each the first of its type, as FindFirst
    // would give; FindFirst walks them again for every name and allocates a predicate each time.
    private static (string? Username, string? ClientId, string? Subject)? NamesOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        string? username = null, clientId = null, subject = null;
        foreach (var claim in user.Claims)
        {
            switch (claim.Type)
            {
                case Username:
                    username ??= claim.Value;
                    break;
                case ClientId:
                    clientId ??= claim.Value;
                    break;
                case Subject:
                    subject ??= claim.Value;
                    break;
            }
        }

        return (username, clientId, subject);
    }
}
