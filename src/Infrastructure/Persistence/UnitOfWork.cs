using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Infrastructure.Persistence.Idempotency;
using MetricsEngine.Infrastructure.Persistence.Repositories;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>
/// The unit of work over the scope's <see cref="MetricsDbContext"/>, resolved on first use: a
/// request answered from the cache never rents one. The scope owns the context and returns it to
/// the pool; anything else in the scope that asks for it shares it, and so shares the transaction.
/// </summary>
internal sealed class UnitOfWork(IServiceProvider scope) : IUnitOfWork
{
    private readonly List<Action> _afterCommit = [];
    private MetricsDbContext? _db;
    private IMetricRepository? _metrics;
    private IQueryRepository? _queries;
    private IRecordRepository? _records;
    private IImportRunRepository? _importRuns;
    private IMetricVersionRepository? _versions;
    private IIdempotencyKeyRepository? _idempotencyKeys;

    private MetricsDbContext Db => _db ??= scope.GetRequiredService<MetricsDbContext>();

    public IMetricRepository Metrics => _metrics ??= new MetricRepository(Db);
    public IQueryRepository Queries => _queries ??= new QueryRepository(Db);
    public IRecordRepository Records => _records ??= new RecordRepository(Db);
    public IImportRunRepository ImportRuns => _importRuns ??= new ImportRunRepository(Db);
    public IMetricVersionRepository Versions => _versions ??= new MetricVersionRepository(Db);
    public IIdempotencyKeyRepository IdempotencyKeys => _idempotencyKeys ??= new IdempotencyKeyRepository(Db);

    /// <summary>
    /// Saves, restating the two ways a save can lose a race as conflicts the caller can act on:
    /// another writer changed the metric first, or took the same title first.
    /// </summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Db.SaveChangesAsync(cancellationToken);
            if (Db.Database.CurrentTransaction is null)
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
        new Transaction(await Db.Database.BeginTransactionAsync(cancellationToken), this);

    public void DiscardChanges()
    {
        _db?.ChangeTracker.Clear();
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
