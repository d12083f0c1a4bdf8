using MetricsEngine.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetricsEngine.Infrastructure.Health;

/// <summary>The database answers.</summary>
internal sealed class DatabaseHealthCheck(MainDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Npgsql.NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}

/// <summary>Every migration this build knows is applied: the schema is the one the code expects.</summary>
internal sealed class MigrationsHealthCheck(MetricsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("All migrations are applied.")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) are not applied yet; run the 'migrate' verb.");
        }
        catch (Npgsql.NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("Cannot read the migration history: the database does not answer.", e);
        }
    }
}
