using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using Microsoft.EntityFrameworkCore;

namespace MetricsEngine.Infrastructure.Persistence.Repositories;

internal sealed class MetricRepository(MetricsDbContext db) : IMetricRepository
{
    public Task<Metric?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Metrics.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);

    public async Task<(Metric Metric, StoredQuery Query)?> FindWithQueryAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await db.Metrics.AsNoTracking()
            .Where(m => m.Id == id)
            .Join(db.Queries.AsNoTracking(), m => m.QueryId, q => q.Id, (m, q) => new { Metric = m, Query = q })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Metric, found.Query);
    }

    public async Task<IReadOnlyDictionary<Guid, Metric>> GetAllAsync(CancellationToken cancellationToken) =>
        await db.Metrics.ToDictionaryAsync(m => m.Id, cancellationToken);

    public void Add(Metric metric) => db.Metrics.Add(metric);
}
