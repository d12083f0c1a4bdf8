using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Idempotency;

namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>
/// The application's view of persistence: repositories for the aggregates plus one save.
/// Implemented over the EF Core DbContext in Infrastructure.
/// </summary>
public interface IUnitOfWork
{
    IMetricRepository Metrics { get; }
    IQueryRepository Queries { get; }
    IRecordRepository Records { get; }
    IImportRunRepository ImportRuns { get; }
    IMetricVersionRepository Versions { get; }
    IIdempotencyKeyRepository IdempotencyKeys { get; }

    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction; disposing it without <see cref="IUnitOfWorkTransaction.CommitAsync"/> rolls back.</summary>
    Task<IUnitOfWorkTransaction> BeginTransactionAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every tracked change, so that a rolled back step leaves no stale state behind.</summary>
    void DiscardChanges();

    /// <summary>
    /// Declares a change this unit of work makes. It is published with the commit and only if the
    /// transaction commits: sent to the other instances in the same transaction (so they hear it
    /// exactly when it commits) and applied on this one right after the commit (before that, a
    /// concurrent reader could cache the old data again). Every reaction to a change (cache,
    /// other instances, live subscribers) is driven from here; handlers name the change, nothing else.
    /// </summary>
    void Changed(Change change);
}

public interface IUnitOfWorkTransaction : IAsyncDisposable
{
    Task CommitAsync(CancellationToken cancellationToken);
}
