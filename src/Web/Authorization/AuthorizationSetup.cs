using Microsoft.AspNetCore.Authorization;

namespace MetricsEngine.Web.Authorization;

internal static class AuthorizationSetup
{
    public static IServiceCollection AddPermissions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PermissionOptions>().Bind(configuration.GetSection(PermissionOptions.SectionName));
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Permissions.Read, policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(Permission.Read)))
            .AddPolicy(Permissions.Write, policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(Permission.Write)))
            .AddPolicy(Permissions.Admin, policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(Permission.Admin)));
        return services;
    }
}
