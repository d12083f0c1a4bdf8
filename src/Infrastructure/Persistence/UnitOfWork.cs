using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Infrastructure.Persistence.Repositories;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MetricsEngine.Infrastructure.Persistence;

internal sealed class UnitOfWork(MetricsDbContext db) : IUnitOfWork
{
    private readonly List<Action> _afterCommit = [];

    public IMetricRepository Metrics { get; } = new MetricRepository(db);
    public IQueryRepository Queries { get; } = new QueryRepository(db);
    public IRecordRepository Records { get; } = new RecordRepository(db);
    public IImportRunRepository ImportRuns { get; } = new ImportRunRepository(db);
    public IMetricVersionRepository Versions { get; } = new MetricVersionRepository(db);

    /// <summary>
    /// Saves, restating the two ways a save can lose a race as conflicts the caller can act on:
    /// another writer changed the metric first, or took the same title first.
    /// </summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (db.Database.CurrentTransaction is null)
            {
                // Saved in its own implicit transaction: that was the commit.
                RunAfterCommit();
            }
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || IsUniqueViolation(e, MetricVersionConfiguration.PrimaryKey))
        {
            // Either the row's version moved on, or another writer claimed the next version number first.
            throw new ConflictException("The metric was changed by someone else at the same time; fetch it again and retry.", e);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e, MetricConfiguration.LiveTitleIndex))
        {
            throw new ConflictException("Another metric took that title at the same time; choose another title.", e);
        }
    }

    private static bool IsUniqueViolation(Exception exception, string constraint) =>
        exception is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } violation }
        && violation.ConstraintName == constraint;

    public async Task<IUnitOfWorkTransaction> BeginTransactionAsync(CancellationToken cancellationToken) =>
        new Transaction(await db.Database.BeginTransactionAsync(cancellationToken), this);

    public void DiscardChanges()
    {
        db.ChangeTracker.Clear();
        _afterCommit.Clear();
    }

    public void AfterCommit(Action action) => _afterCommit.Add(action);

    private void RunAfterCommit()
    {
        var actions = _afterCommit.ToArray();
        _afterCommit.Clear();
        foreach (var action in actions)
        {
            action();
        }
    }

    private sealed class Transaction(IDbContextTransaction transaction, UnitOfWork owner) : IUnitOfWorkTransaction
    {
        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await transaction.CommitAsync(cancellationToken);
            owner.RunAfterCommit();
        }

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
