namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>Who is making the request, for audit trails and logs.</summary>
public interface ICurrentUser
{
    /// <summary>
    /// The user's name (<c>username</c>), <c>client:&lt;client_id&gt;</c> for machine tokens, or
    /// <c>system</c> for work no caller asked for (start-up import, verbs).
    /// </summary>
    string Id { get; }

    /// <summary>
    /// The caller as per-caller limits count them (the request rate, uncached queries at once):
    /// one key per user, per app client, or per client address without a valid token, shaped so
    /// that no two callers can share one (a user named <c>client:x</c> is not app client <c>x</c>).
    /// </summary>
    string CallerKey { get; }
}

/// <summary>Caller keys that name no caller.</summary>
public static class CallerKeys
{
    /// <summary>
    /// Recomputations for live subscribers: the server's own work, counted against no caller's
    /// share (docs/adr/connection-admission.md), only against the pool. No token can produce this
    /// key: every caller's key has a prefix (<c>user:</c>, <c>client:</c>, <c>sub:</c>, <c>address:</c>).
    /// </summary>
    public const string Subscribers = "server:live";
}
