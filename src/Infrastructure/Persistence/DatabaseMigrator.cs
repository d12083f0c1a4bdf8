using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>Applies or scripts the EF Core migrations; used by the <c>migrate</c> verb and by deployments.</summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    /// <summary>An idempotent SQL script of every migration, for deployments that apply SQL themselves.</summary>
    public static string GenerateIdempotentScript()
    {
        // Scripting needs the model, not a server: no connection string is required.
        using var db = new MetricsDbContext((DbContextOptions<MetricsDbContext>)MetricsDbContext
            .Conventions(new DbContextOptionsBuilder<MetricsDbContext>().UseNpgsql())
            .Options);
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }
}
