using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Metrics;
using Microsoft.EntityFrameworkCore;

namespace MetricsEngine.Infrastructure.Persistence.Repositories;

internal sealed class MetricVersionRepository(MetricsDbContext db) : IMetricVersionRepository
{
    public void Add(MetricVersion version) => db.MetricVersions.Add(version);

    public async Task<IReadOnlyList<MetricVersion>> ListAsync(Guid metricId, CancellationToken cancellationToken) =>
        await db.MetricVersions.AsNoTracking().Where(v => v.MetricId == metricId).OrderBy(v => v.Version).ToListAsync(cancellationToken);

    public Task<MetricVersion?> FindAsync(Guid metricId, int version, CancellationToken cancellationToken) =>
        db.MetricVersions.AsNoTracking().FirstOrDefaultAsync(v => v.MetricId == metricId && v.Version == version, cancellationToken);
}
