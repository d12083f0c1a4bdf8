using MetricsEngine.Core.Imports;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// State one import shares across its files: the issues it reports (so no step can drop an item
/// silently) and what the queries file decided, which the metrics file depends on.
/// </summary>
internal sealed partial class ImportSession(ImportRun run, Dictionary<string, string?> queryTitles)
{
    /// <summary>Title (from the leading SQL comment) of every query a metric may name: stored or accepted now.</summary>
    public Dictionary<string, string?> QueryTitles { get; } = queryTitles;

    /// <summary>Queries of this import's file that were refused, so metrics naming them can say why.</summary>
    public HashSet<string> RejectedQueries { get; } = new(StringComparer.Ordinal);

    /// <summary>Reports the item's problems; true when it was readable and may be loaded.</summary>
    public bool Accept<T>(string file, SourceItem<T> item, ImportCounter counts)
        where T : class
    {
        if (item.Value is null)
        {
            Reject(file, item, counts, string.Join(" ", item.Problems));
            return false;
        }

        foreach (var warning in item.Problems)
        {
            Warn(file, item, warning);
        }

        return true;
    }

    public void Reject<T>(string file, SourceItem<T> item, ImportCounter counts, string reason)
        where T : class
    {
        counts.Rejected++;
        run.Report(new ImportIssue(file, item.Position, IssueSeverity.Error, Storable(item.Key), Storable(reason)!, Storable(item.Raw)!));
    }

    public void Warn<T>(string file, SourceItem<T> item, string warning)
        where T : class =>
        run.Report(new ImportIssue(file, item.Position, IssueSeverity.Warning, Storable(item.Key), Storable(warning)!, Storable(item.Raw)!));
}

internal sealed partial class ImportSession
{
    /// <summary>PostgreSQL text cannot hold NUL: an issue quoting one shows it as <c>\0</c> rather than failing the import.</summary>
    private static string? Storable(string? text) => text?.Replace("\0", "\\0", StringComparison.Ordinal);
}

internal sealed class ImportCounter
{
    public int Read { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Rejected { get; set; }

    public void Changed(bool changed)
    {
        if (changed)
        {
            Updated++;
        }
        else
        {
            Unchanged++;
        }
    }

    public ItemCounts ToCounts() => new(Read, Added, Updated, Unchanged, Rejected);
}
