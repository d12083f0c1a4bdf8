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
}
