using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Common.Interfaces;

public interface IQueryRepository
{
    Task<StoredQuery?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, StoredQuery>> GetAllAsync(CancellationToken cancellationToken);

    void Add(StoredQuery query);
}
