namespace MetricsEngine.Application.Imports;

/// <summary>
/// Where one kind of import content comes from (docs/product.md#import-files): a file of a given
/// format today; an object store or an HTTP feed would be another implementation, found by the
/// assembly scan in Infrastructure. Content is read into items, each with its position and raw
/// text; unreadable items are returned, not thrown, so the importer can report every one of them.
/// Only a location that cannot be read at all throws <see cref="ImportFileException"/>.
/// </summary>
/// <typeparam name="TContent">
/// What the source yields: <c>IAsyncEnumerable&lt;SourceItem&lt;QueryRow&gt;&gt;</c> (queries),
/// <c>Task&lt;MetricsDocument&gt;</c> (metrics and layouts, one document) or
/// <c>IAsyncEnumerable&lt;SourceItem&lt;RecordRow&gt;&gt;</c> (records, streamed).
/// </typeparam>
public interface IImportSource<out TContent>
    where TContent : class
{
    /// <summary>Whether this source reads <paramref name="location"/> (a path, a URL of its scheme).</summary>
    bool Reads(string location);

    /// <summary>
    /// Throws <see cref="ImportFileException"/> when there is nothing to read at
    /// <paramref name="location"/>; asked of every configured location before anything is imported.
    /// </summary>
    void EnsureAvailable(string location);

    /// <summary>Starts reading; streamed content is read as it is enumerated.</summary>
    TContent ReadAsync(string location, CancellationToken cancellationToken);
}

public static class ImportSourceExtensions
{
    /// <summary>The source that reads <paramref name="location"/>, the first registered winning.</summary>
    public static IImportSource<TContent> For<TContent>(this IEnumerable<IImportSource<TContent>> sources, string location)
        where TContent : class =>
        sources.FirstOrDefault(source => source.Reads(location))
        ?? throw new ImportFileException(location, "no import source reads this location.");
}
