using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

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
