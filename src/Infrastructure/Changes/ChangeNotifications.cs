using System.Globalization;
using MetricsEngine.Application.Common.Changes;

namespace MetricsEngine.Infrastructure.Changes;

/// <summary>
/// How a change travels between instances: a PostgreSQL notification on <see cref="Channel"/>,
/// sent in the transaction that makes the change, so it is delivered exactly when (and only if)
/// that transaction commits. The payload is <c>&lt;instance&gt; &lt;scope&gt; &lt;key&gt;</c>,
/// far below PostgreSQL's 8,000-byte payload limit (query ids are at most a few hundred characters).
/// </summary>
public static class ChangeNotifications
{
    public const string Channel = "metricsengine_changes";

    /// <summary>The notification of a change made on the instance <paramref name="instanceId"/>.</summary>
    public static string Payload(Change change, string instanceId) =>
        string.Create(CultureInfo.InvariantCulture, $"{instanceId} {(int)change.Scope} {change.Key}");

    /// <summary>
    /// The change a payload names and whether instance <paramref name="instanceId"/> sent it (it
    /// applied its own at commit); an unreadable payload means anything may have changed.
    /// </summary>
    public static (Change Change, bool Own) Read(string payload, string instanceId)
    {
        var parts = payload.Split(' ', 3);
        if (parts.Length == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var scope)
            && Enum.IsDefined((ChangeScope)scope))
        {
            return (new Change((ChangeScope)scope, parts[2]), parts[0] == instanceId);
        }

        // Another release may speak a newer format: ignoring it could serve stale answers.
        return (Change.Everything, false);
    }
}
