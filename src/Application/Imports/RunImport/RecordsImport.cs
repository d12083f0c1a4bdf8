using System.Runtime.CompilerServices;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// metric_records.json, streamed to the bulk writer. A record's key is its content hash plus its
/// occurrence among identical rows of the file, so re-importing adds nothing and identical rows
/// stay distinct events.
/// </summary>
internal sealed class RecordsImport(
    IUnitOfWork unitOfWork, IEnumerable<IImportSource<IAsyncEnumerable<SourceItem<RecordRow>>>> sources, TimeProvider clock)
{
    public void EnsureAvailable(string location) => sources.For(location).EnsureAvailable(location);

    public async Task<ItemCounts> RunAsync(string path, ImportSession import, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var counts = new ImportCounter();
        var started = clock.GetTimestamp();
        var written = await unitOfWork.Records.AddMissingAsync(Accepted(path, import, counts, progress, cancellationToken), cancellationToken);
        progress?.Report(new ImportProgress(Path.GetFileName(path), counts.Read, clock.GetElapsedTime(started), Done: true));
        counts.Added = checked((int)written.Added);
        counts.Unchanged = checked((int)(written.Written - written.Added));
        return counts.ToCounts();
    }

    private async IAsyncEnumerable<MetricRecord> Accepted(
        string path, ImportSession import, ImportCounter counts, IProgress<ImportProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var knownQueries = import.QueryTitles.Keys.ToHashSet(StringComparer.Ordinal);
        var occurrences = new Dictionary<ContentHash, int>();
        var createdAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        await foreach (var item in sources.For(path).ReadAsync(path, cancellationToken))
        {
            if (++counts.Read % ImportProgress.Every == 0)
            {
                progress?.Report(new ImportProgress(file, counts.Read, clock.GetElapsedTime(started), Done: false));
            }

            if (!import.Accept(file, item, counts) || item.Value is not { } row)
            {
                continue;
            }

            if (!knownQueries.Contains(row.QueryId))
            {
                import.Reject(file, item, counts, $"Record names query '{row.QueryId}', which is neither in the queries file nor stored.");
                continue;
            }

            var content = RecordKey.HashContent(row.QueryId, row.DateUtc, row.Measures);
            var occurrence = occurrences[content] = occurrences.GetValueOrDefault(content) + 1;
            yield return MetricRecord.Create(row.QueryId, row.DateUtc, row.Measures, RecordKey.ForImported(content, occurrence), createdAt);
        }
    }
}
