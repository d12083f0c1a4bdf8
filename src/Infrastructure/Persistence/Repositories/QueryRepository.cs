using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Queries;
using Microsoft.EntityFrameworkCore;

namespace MetricsEngine.Infrastructure.Persistence.Repositories;

internal sealed class QueryRepository(MetricsDbContext db) : IQueryRepository
{
    public Task<StoredQuery?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Queries.FirstOrDefaultAsync(q => q.Id == id, cancellationToken);

    public async Task<IReadOnlyDictionary<string, StoredQuery>> GetAllAsync(CancellationToken cancellationToken) =>
        await db.Queries.ToDictionaryAsync(q => q.Id, StringComparer.Ordinal, cancellationToken);

    public void Add(StoredQuery query) => db.Queries.Add(query);
}
