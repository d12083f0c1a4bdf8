using MetricsEngine.Core.Imports;

namespace MetricsEngine.Application.Common.Interfaces;

public interface IImportRunRepository
{
    void Add(ImportRun run);

    Task<ImportRun?> GetLatestAsync(CancellationToken cancellationToken);
}
