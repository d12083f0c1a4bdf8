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
    /// Runs <paramref name="action"/> once the current transaction commits (never if it rolls
    /// back). Cache invalidation belongs here: before the commit, a concurrent reader could cache
    /// the old data again.
    /// </summary>
    void AfterCommit(Action action);
}

public interface IUnitOfWorkTransaction : IAsyncDisposable
{
    Task CommitAsync(CancellationToken cancellationToken);
}
