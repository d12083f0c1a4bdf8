using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Common.Interfaces;

public interface IRecordRepository
{
    void Add(MetricRecord record);

    /// <summary>A record by its public id (its idempotency key), read-only.</summary>
    Task<MetricRecord?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes records whose idempotency key is not stored yet, streaming them to the database in
    /// bulk; records already present are left alone.
    /// </summary>
    Task<BulkWriteResult> AddMissingAsync(IAsyncEnumerable<MetricRecord> records, CancellationToken cancellationToken);
}

/// <param name="Written">Records handed to the database.</param>
/// <param name="Added">Records that were new.</param>
public sealed record BulkWriteResult(long Written, long Added);
