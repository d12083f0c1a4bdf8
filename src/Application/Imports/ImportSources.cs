using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Application.Imports;

/// <summary>
/// Reads the three import files (docs/product.md#import-files) into items, each with its position in the file and raw
/// text. Unreadable items are returned, not thrown, so the importer can report every one of them;
/// only a file that cannot be read at all throws <see cref="ImportFileException"/>.
/// </summary>
public interface IImportFileReader
{
    IAsyncEnumerable<SourceItem<QueryRow>> ReadQueriesAsync(string path, CancellationToken cancellationToken);

    Task<MetricsDocument> ReadMetricsAsync(string path, CancellationToken cancellationToken);

    IAsyncEnumerable<SourceItem<RecordRow>> ReadRecordsAsync(string path, CancellationToken cancellationToken);
}

/// <summary>
/// One item of a file. When <see cref="Value"/> is null the item could not be read and
/// <see cref="Problems"/> says why; otherwise <see cref="Problems"/> lists what was ignored in it.
/// </summary>
public sealed record SourceItem<T>(string Position, string Raw, string? Key, T? Value, IReadOnlyList<string> Problems)
    where T : class;

public static class SourceItem
{
    public static SourceItem<T> Loaded<T>(string position, string raw, string? key, T value, IReadOnlyList<string>? warnings = null)
        where T : class => new(position, raw, key, value, warnings ?? []);

    public static SourceItem<T> Rejected<T>(string position, string raw, string? key, params string[] problems)
        where T : class => new(position, raw, key, null, problems);
}

public sealed record QueryRow(string Id, string Sql);

public sealed record MetricItem(Guid Id, string QueryId, bool IsEditable);

public sealed record LayoutEntry(Guid MetricId, LayoutItem Item);

public sealed record RecordRow(string QueryId, DateTime DateUtc, Measures Measures);

public sealed record MetricsDocument(IReadOnlyList<SourceItem<MetricItem>> Items, IReadOnlyList<SourceItem<LayoutEntry>> Layouts);

/// <summary>A file that is missing, unreadable, or not the format it should be.</summary>
public sealed class ImportFileException(string file, string reason, Exception? innerException = null)
    : Exception($"{file}: {reason}", innerException)
{
    public string File { get; } = file;
}
