using System.Diagnostics.CodeAnalysis;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using Microsoft.EntityFrameworkCore;

namespace MetricsEngine.Infrastructure.Persistence.Repositories;

internal sealed class MetricRepository(MetricsDbContext db) : IMetricRepository
{
    // Every GET that misses the definition cache runs this; compiled once, it skips EF's
    // per-call expression-tree lookup.
    private static readonly Func<MetricsDbContext, Guid, CancellationToken, Task<MetricWithQuery?>> LiveMetricWithQuery =
        EF.CompileAsyncQuery((MetricsDbContext context, Guid id, CancellationToken _) => context.Metrics.AsNoTracking()
            .Where(m => m.Id == id && m.DeletedAt == null)
            .Join(context.Queries.AsNoTracking(), m => m.QueryId, q => q.Id, (m, q) => new MetricWithQuery(m, q))
            .FirstOrDefault());

    public Task<Metric?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Metrics.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);

    public async Task<(Metric Metric, StoredQuery Query)?> FindWithQueryAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await LiveMetricWithQuery(db, id, cancellationToken);
        return found is null ? null : (found.Metric, found.Query);
    }

    public async Task<IReadOnlyDictionary<Guid, Metric>> GetAllAsync(CancellationToken cancellationToken) =>
        await db.Metrics.ToDictionaryAsync(m => m.Id, cancellationToken);

    public async Task<PagedList<MetricSummary>> ListAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var live = db.Metrics.AsNoTracking().Where(m => m.DeletedAt == null);
        var total = await live.CountAsync(cancellationToken);

        // Computed wide: page 2147483647 is a valid question (an empty page), not an overflow.
        var offset = (page - 1L) * pageSize;
        if (offset >= total)
        {
            return new PagedList<MetricSummary>([], page, pageSize, total);
        }

        var items = await live
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Skip((int)offset).Take(pageSize)
            .Select(m => new MetricSummary(m.Id, m.Title, m.IsEditable, m.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new PagedList<MetricSummary>(items, page, pageSize, total);
    }

    // lower(title) = lower(@title) is the expression the live-title unique index is built on.
    [SuppressMessage("Performance", "CA1862", Justification = "Translated to SQL lower(); string.Equals with a comparison is not.")]
    public Task<bool> IsTitleTakenAsync(string title, Guid except, CancellationToken cancellationToken) =>
        db.Metrics.AnyAsync(m => m.Id != except && m.DeletedAt == null && m.Title.ToLower() == title.ToLower(), cancellationToken);

    public async Task<IReadOnlyList<Guid>> OthersUsingQueryAsync(string queryId, Guid except, CancellationToken cancellationToken) =>
        await db.Metrics.Where(m => m.QueryId == queryId && m.Id != except && m.DeletedAt == null)
            .Select(m => m.Id).ToListAsync(cancellationToken);

    public void Add(Metric metric) => db.Metrics.Add(metric);
}

internal sealed record MetricWithQuery(Metric Metric, StoredQuery Query);
