using System.Diagnostics.CodeAnalysis;

namespace MetricsEngine.Web.Authorization;

/// <summary>What a caller may do. Each permission is also the name of its authorization policy.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "docs/product.md#permissions calls these permissions; no code access security here.")]
public enum Permission
{
    Read,
    Write,
    Admin,
}

public static class Permissions
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static string PolicyName(this Permission permission) => permission switch
    {
        Permission.Read => Read,
        Permission.Write => Write,
        _ => Admin,
    };

    /// <summary>The permissions that include <paramref name="permission"/>: write implies read, admin implies both.</summary>
    public static IEnumerable<Permission> GrantedBy(Permission permission) => permission switch
    {
        Permission.Read => [Permission.Read, Permission.Write, Permission.Admin],
        Permission.Write => [Permission.Write, Permission.Admin],
        _ => [Permission.Admin],
    };
}
