using MetricsEngine.Application.Imports;

namespace MetricsEngine.Infrastructure.Importing;

internal sealed class ImportFileReader : IImportFileReader
{
    public IAsyncEnumerable<SourceItem<QueryRow>> ReadQueriesAsync(string path, CancellationToken cancellationToken) =>
        QueriesCsvReader.ReadAsync(path, cancellationToken);

    public Task<MetricsDocument> ReadMetricsAsync(string path, CancellationToken cancellationToken) =>
        MetricsJsonReader.ReadAsync(path, cancellationToken);

    public IAsyncEnumerable<SourceItem<RecordRow>> ReadRecordsAsync(string path, CancellationToken cancellationToken) =>
        RecordsJsonReader.ReadAsync(path, cancellationToken);
}
