using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace MetricsEngine.Infrastructure.Persistence.Repositories;

internal sealed class ImportRunRepository(MetricsDbContext db) : IImportRunRepository
{
    public void Add(ImportRun run) => db.ImportRuns.Add(run);

    public Task<ImportRun?> GetLatestAsync(CancellationToken cancellationToken) =>
        db.ImportRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
}
