using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Common.Interfaces;

public interface IMetricRepository
{
    /// <summary>A metric, deleted or not, tracked for changes.</summary>
    Task<Metric?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A live metric together with the query it runs, in one round trip, read-only.</summary>
    Task<(Metric Metric, StoredQuery Query)?> FindWithQueryAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every metric, deleted ones included, tracked for changes.</summary>
    Task<IReadOnlyDictionary<Guid, Metric>> GetAllAsync(CancellationToken cancellationToken);

    /// <summary>A page of live metrics in a stable order (oldest first).</summary>
    Task<PagedList<MetricSummary>> ListAsync(int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>Whether another live metric has this title, compared case-insensitively.</summary>
    Task<bool> IsTitleTakenAsync(string title, Guid except, CancellationToken cancellationToken);

    /// <summary>The other live metrics that run this query.</summary>
    Task<IReadOnlyList<Guid>> OthersUsingQueryAsync(string queryId, Guid except, CancellationToken cancellationToken);

    void Add(Metric metric);
}

public sealed record MetricSummary(Guid Id, string Title, bool IsEditable, DateTimeOffset UpdatedAt);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public interface IMetricVersionRepository
{
    void Add(MetricVersion version);

    Task<IReadOnlyList<MetricVersion>> ListAsync(Guid metricId, CancellationToken cancellationToken);

    Task<MetricVersion?> FindAsync(Guid metricId, int version, CancellationToken cancellationToken);
}

public interface IQueryRepository
{
    Task<StoredQuery?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, StoredQuery>> GetAllAsync(CancellationToken cancellationToken);

    void Add(StoredQuery query);
}

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

public interface IImportRunRepository
{
    void Add(ImportRun run);

    Task<ImportRun?> GetLatestAsync(CancellationToken cancellationToken);
}
