using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Persistence;

/// <summary>
/// The unit of work when the database goes away under an open transaction: what a caller gets is
/// "the database is unavailable" (503), never a bare InvalidOperationException (500).
/// </summary>
public sealed class UnitOfWorkTests : ApiFixture
{
    [Test]
    public async Task A_commit_after_the_connection_broke_under_its_transaction_is_database_unavailable()
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        await using var transaction = await unitOfWork.BeginTransactionAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();
        var backend = await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync();
        await Api.Database!.Server.ExecuteAsync($"SELECT pg_terminate_backend({backend})");
        // The statement that meets the dead connection fails as a database error; Npgsql then
        // completes the transaction, and the next statement inside it is refused outright.
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("SELECT 1"));
        unitOfWork.Changed(Change.Everything);

        await Should.ThrowAsync<DatabaseUnavailableException>(() => transaction.CommitAsync(CancellationToken.None));
    }
}
