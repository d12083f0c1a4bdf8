using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Stored SQL runs on the query connection; if that connection could read the engine's own
/// tables, the sandbox would be a fiction. Readiness fails until it logs in as a role that cannot.
/// </summary>
internal sealed class QuerySandboxHealthCheck(QueryDataSource queryDataSource) : IHealthCheck
{
    public const string RoleName = "metrics_query";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = queryDataSource.DataSource.CreateCommand("""
                SELECT current_user,
                       coalesce(has_table_privilege(to_regclass('public.metric_records'), 'SELECT'), false)
                    OR coalesce(has_table_privilege(to_regclass('public.queries'), 'SELECT'), false)
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var user = reader.GetString(0);
            return reader.GetBoolean(1)
                ? HealthCheckResult.Unhealthy(
                    $"The query connection logs in as '{user}', which can read the engine's own tables. Stored SQL must run as the " +
                    $"sandbox role '{RoleName}': set ConnectionStrings__MetricsQuery to log in as it.")
                : HealthCheckResult.Healthy($"Stored SQL runs as '{user}', which can read only the query surface.");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return HealthCheckResult.Unhealthy(
                $"Cannot log in as the sandbox role: {e.MessageText}. Run 'migrate' (it creates '{RoleName}') and, on a managed server, give it a password.", e);
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("The query connection does not answer.", e);
        }
    }
}
