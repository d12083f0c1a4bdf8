using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Records;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace MetricsEngine.Infrastructure.Persistence.Repositories;

/// <summary>
/// Bulk writes: records stream through binary COPY into a transaction-local staging table, then
/// one INSERT ... ON CONFLICT DO NOTHING moves the new ones across. Memory stays flat however
/// large the file, and a record whose idempotency key is stored already is skipped.
/// </summary>
internal sealed class RecordRepository(MetricsDbContext db) : IRecordRepository
{
    private const string Columns =
        "query_id, date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category, idempotency_key, created_at";

    public void Add(MetricRecord record) => db.Records.Add(record);

    public Task<MetricRecord?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == id, cancellationToken);

    public async Task<BulkWriteResult> AddMissingAsync(IAsyncEnumerable<MetricRecord> records, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Bulk writes run inside the unit of work's transaction.");
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.ExecuteSqlRawAsync(
            """
            CREATE TEMP TABLE record_staging (
                query_id text, date timestamp, obsolescence numeric, obsolescence_val numeric, parts_flagged integer,
                alert_type text, alert_category text, idempotency_key uuid, created_at timestamptz
            ) ON COMMIT DROP
            """, cancellationToken);

        ulong written;
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY record_staging ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            await foreach (var record in records.WithCancellation(cancellationToken))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(record.QueryId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(DateTime.SpecifyKind(record.Date, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp, cancellationToken);
                await WriteNullableAsync(copy, record.Measures.Obsolescence, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullableAsync(copy, record.Measures.ObsolescenceVal, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullableAsync(copy, record.Measures.PartsFlagged, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, record.Measures.AlertType, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, record.Measures.AlertCategory, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(record.IdempotencyKey, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(record.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            written = await copy.CompleteAsync(cancellationToken);
        }

        var added = await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO metric_records ({Columns}) SELECT {Columns} FROM record_staging ON CONFLICT (idempotency_key) DO NOTHING",
            cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE record_staging", cancellationToken);
        return new BulkWriteResult((long)written, added);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? copy.WriteAsync(value, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
