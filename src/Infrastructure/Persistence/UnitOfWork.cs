using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Infrastructure.Persistence.Repositories;
using Microsoft.EntityFrameworkCore.Storage;

namespace MetricsEngine.Infrastructure.Persistence;

internal sealed class UnitOfWork(MetricsDbContext db) : IUnitOfWork
{
    public IMetricRepository Metrics { get; } = new MetricRepository(db);
    public IQueryRepository Queries { get; } = new QueryRepository(db);
    public IRecordRepository Records { get; } = new RecordRepository(db);
    public IImportRunRepository ImportRuns { get; } = new ImportRunRepository(db);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    public async Task<IUnitOfWorkTransaction> BeginTransactionAsync(CancellationToken cancellationToken) =>
        new Transaction(await db.Database.BeginTransactionAsync(cancellationToken));

    public void DiscardChanges() => db.ChangeTracker.Clear();

    private sealed class Transaction(IDbContextTransaction transaction) : IUnitOfWorkTransaction
    {
        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
