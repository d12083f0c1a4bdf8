using MetricsEngine.Application.Common.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MetricsEngine.Infrastructure.Persistence.Idempotency;

/// <summary>
/// Claims keys with one <c>INSERT ... ON CONFLICT</c> on the unit of work's connection, inside its
/// transaction. PostgreSQL makes a concurrent insert of the same key wait until the first
/// transaction ends, so two retries racing each other cannot both run: the second sees the first's
/// committed answer (or, if the first rolled back, claims the key itself).
/// </summary>
internal sealed class IdempotencyKeyRepository(MetricsDbContext db) : IIdempotencyKeyRepository
{
    public async Task<IdempotencyClaim> ClaimAsync(
        string caller, string key, string fingerprint, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        await using (var claim = await CommandAsync(
            $"""
            INSERT INTO {IdempotencyKeyConfiguration.Table} (caller, key, fingerprint, created_at) VALUES (@caller, @key, @fingerprint, @now)
            ON CONFLICT (caller, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at, response = NULL
                WHERE {IdempotencyKeyConfiguration.Table}.created_at < @expired
            """, cancellationToken))
        {
            claim.Parameters.AddWithValue("caller", caller);
            claim.Parameters.AddWithValue("key", key);
            claim.Parameters.AddWithValue("fingerprint", fingerprint);
            claim.Parameters.AddWithValue("now", now.ToUniversalTime());
            claim.Parameters.AddWithValue("expired", expiredBefore.ToUniversalTime());
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return IdempotencyClaim.New;
            }
        }

        await using var used = await CommandAsync(
            $"SELECT fingerprint, response FROM {IdempotencyKeyConfiguration.Table} WHERE caller = @caller AND key = @key", cancellationToken);
        used.Parameters.AddWithValue("caller", caller);
        used.Parameters.AddWithValue("key", key);
        await using var reader = await used.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new IdempotencyClaim(false, reader.GetString(0), await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetString(1))
            : throw new InvalidOperationException("An idempotency key that conflicted on insert could not be read back.");
    }

    public async Task CompleteAsync(string caller, string key, string response, CancellationToken cancellationToken)
    {
        await using var complete = await CommandAsync(
            $"UPDATE {IdempotencyKeyConfiguration.Table} SET response = @response WHERE caller = @caller AND key = @key", cancellationToken);
        complete.Parameters.AddWithValue("caller", caller);
        complete.Parameters.AddWithValue("key", key);
        complete.Parameters.AddWithValue("response", response);
        await complete.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Idempotency keys are claimed inside the unit of work's transaction.");
        await db.Database.OpenConnectionAsync(cancellationToken);
        return new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection(), transaction);
    }
}
