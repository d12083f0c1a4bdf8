using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Infrastructure.Changes;
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
/// Declared changes are notified to every instance inside the transaction (<c>pg_notify</c>,
/// delivered at commit) and dispatched on this one right after the commit.
/// </summary>
internal sealed class UnitOfWork(IServiceProvider scope, ChangeDispatcher changes) : IUnitOfWork
{
    private readonly List<Change> _changed = [];
    private readonly List<Change> _notified = [];
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
            if (Db.Database.CurrentTransaction is null && _changed.Count > 0)
            {
                // The notification must commit with the change or not at all: one transaction for both.
                await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
                await Db.SaveChangesAsync(cancellationToken);
                await CommitAsync(transaction, cancellationToken);
                return;
            }

            await Db.SaveChangesAsync(cancellationToken);
            if (Db.Database.CurrentTransaction is null)
            {
                // Saved in its own implicit transaction: that was the commit.
                RunAfterCommit();
            }
            else
            {
                await NotifyAsync(cancellationToken);
            }
        }
        catch (InvalidOperationException e) when (ConnectionLost)
        {
            throw new DatabaseUnavailableException(e);
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

    /// <summary>
    /// The connection under this unit of work broke (the server went away mid-transaction). Npgsql
    /// then completes the transaction and refuses every later statement in it with an
    /// <see cref="InvalidOperationException"/> ("Transaction is already completed"), which is the
    /// database being unavailable, not a fault of ours: callers must get a 503, never a 500.
    /// </summary>
    private bool ConnectionLost => _db is not null && _db.Database.GetDbConnection().State is not System.Data.ConnectionState.Open;

    private static bool IsUniqueViolation(Exception exception, string constraint) =>
        exception is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } violation }
        && violation.ConstraintName == constraint;

    public async Task<IUnitOfWorkTransaction> BeginTransactionAsync(CancellationToken cancellationToken) =>
        new Transaction(await Db.Database.BeginTransactionAsync(cancellationToken), this);

    public void DiscardChanges()
    {
        _db?.ChangeTracker.Clear();
        _changed.Clear();
        _notified.Clear();
    }

    public void Changed(Change change)
    {
        if (!_changed.Contains(change))
        {
            _changed.Add(change);
        }
    }

    /// <summary>Sends each declared change not yet sent in this transaction; PostgreSQL delivers them when it commits.</summary>
    private async Task NotifyAsync(CancellationToken cancellationToken)
    {
        foreach (var change in _changed.Except(_notified).ToList())
        {
            var payload = ChangeNotifications.Payload(change, changes.InstanceId);
            await Db.Database.ExecuteSqlAsync($"SELECT pg_notify({ChangeNotifications.Channel}, {payload})", cancellationToken);
            _notified.Add(change);
        }
    }

    /// <summary>
    /// Commits <paramref name="transaction"/> with this unit of work's changes: each declared change
    /// is notified inside it (so other instances hear of it exactly when it commits), then it
    /// commits, then the changes are dispatched here. A connection lost on the way is the database
    /// being unavailable (<see cref="ConnectionLost"/>), and nothing is dispatched.
    /// </summary>
    private async Task CommitAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await NotifyAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (InvalidOperationException e) when (ConnectionLost)
        {
            throw new DatabaseUnavailableException(e);
        }

        RunAfterCommit();
    }

    private void RunAfterCommit()
    {
        var committed = _changed.ToArray();
        _changed.Clear();
        _notified.Clear();
        foreach (var change in committed)
        {
            changes.Dispatch(change);
        }
    }

    private sealed class Transaction(IDbContextTransaction transaction, UnitOfWork owner) : IUnitOfWorkTransaction
    {
        public Task CommitAsync(CancellationToken cancellationToken) => owner.CommitAsync(transaction, cancellationToken);

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
