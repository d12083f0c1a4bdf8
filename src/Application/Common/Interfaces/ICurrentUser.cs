namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>Who is making the request, for audit trails and logs.</summary>
public interface ICurrentUser
{
    /// <summary>
    /// The user's name (<c>username</c>), <c>client:&lt;client_id&gt;</c> for machine tokens, or
    /// <c>system</c> for work no caller asked for (start-up import, verbs).
    /// </summary>
    string Id { get; }
}
