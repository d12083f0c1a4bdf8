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
    /// Who is calling, as a validated token names them, from one walk over its claims; null when
    /// unauthenticated or when the token names nobody.
    /// <list type="bullet">
    /// <item><c>Name</c>, for people reading logs and records: the user's <c>username</c>, else
    /// <c>client:&lt;client_id&gt;</c> for machine tokens, else the subject.</item>
    /// <item><c>Key</c>, as per-caller limits count them: the same choice, but every kind carries
    /// its prefix (<c>user:</c>, <c>client:</c>, <c>sub:</c>), so no user, app client or subject
    /// can share another's key.</item>
    /// </list>
    /// </summary>
    public static (string Name, string Key)? CallerOf(ClaimsPrincipal? user) =>
        NamesOf(user) switch
        {
            { Username: { } name } => (name, $"user:{name}"),
            { ClientId: { } client } => ($"client:{client}", $"client:{client}"),
            { Subject: { } subject } => (subject, $"sub:{subject}"),
            _ => null,
        };

    /// <summary>The key of a caller without a valid token: its client address (as forwarded by trusted proxies).</summary>
    public static string AddressKeyOf(System.Net.IPAddress? address) => $"address:{address}";

    // Each name is the first claim of its type, as FindFirst would give; FindFirst walks the claims
    // again for every name and allocates a predicate each time.
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
