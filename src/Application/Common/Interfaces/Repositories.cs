using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Common.Interfaces;

public interface IMetricRepository
{
    Task<Metric?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A metric together with the query it runs, in one round trip.</summary>
    Task<(Metric Metric, StoredQuery Query)?> FindWithQueryAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<Guid, Metric>> GetAllAsync(CancellationToken cancellationToken);

    void Add(Metric metric);
}

public interface IQueryRepository
{
    Task<StoredQuery?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, StoredQuery>> GetAllAsync(CancellationToken cancellationToken);

    void Add(StoredQuery query);
}

public interface IRecordRepository
{
    /// <summary>
    /// Writes records whose idempotency key is not stored yet, streaming them to the database in
    /// bulk; records already present are left alone.
    /// </summary>
    Task<BulkWriteResult> AddMissingAsync(IAsyncEnumerable<MetricRecord> records, CancellationToken cancellationToken);
}

/// <param name="Written">Records handed to the database.</param>
/// <param name="Added">Records that were new.</param>
public sealed record BulkWriteResult(long Written, long Added);

public interface IImportRunRepository
{
    void Add(ImportRun run);

    Task<ImportRun?> GetLatestAsync(CancellationToken cancellationToken);
}
