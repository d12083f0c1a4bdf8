namespace MetricsEngine.Web.Authorization;

/// <summary>
/// Which scopes and Cognito groups grant each permission (configuration <c>Auth:Permissions</c>).
/// Values are space- or comma-separated names; unset keeps the default, an empty string grants
/// through nothing (e.g. a group-only permission).
/// </summary>
public sealed class PermissionOptions
{
    public const string SectionName = "Auth:Permissions";

    public PermissionGrant Read { get; set; } = new();
    public PermissionGrant Write { get; set; } = new();
    public PermissionGrant Admin { get; set; } = new();

    public (IReadOnlySet<string> Scopes, IReadOnlySet<string> Groups) For(Permission permission) => permission switch
    {
        Permission.Read => Read.Resolve("api/backend_access api/metrics.read", "metrics-readers"),
        Permission.Write => Write.Resolve("api/backend_access api/metrics.write", "metrics-writers"),
        _ => Admin.Resolve("api/metrics.admin", "metrics-admins"),
    };
}

public sealed class PermissionGrant
{
    public string? Scopes { get; set; }
    public string? Groups { get; set; }

    internal (IReadOnlySet<string> Scopes, IReadOnlySet<string> Groups) Resolve(string defaultScopes, string defaultGroups) =>
        (Names(Scopes ?? defaultScopes), Names(Groups ?? defaultGroups));

    private static HashSet<string> Names(string value) =>
        value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
