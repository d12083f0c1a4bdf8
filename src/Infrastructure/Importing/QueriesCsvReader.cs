using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using MetricsEngine.Application.Imports;

namespace MetricsEngine.Infrastructure.Importing;

/// <summary>
/// Reads <c>queries.csv</c> (header <c>id,query</c>; the query a quoted, usually multi-line field).
/// Positions are physical line numbers, so "line 14" is where an editor shows the row.
/// </summary>
internal sealed class QueriesCsvReader : FileImportSource, IImportSource<IAsyncEnumerable<SourceItem<QueryRow>>>
{
    public async IAsyncEnumerable<SourceItem<QueryRow>> ReadAsync(
        string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? badData = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            DetectColumnCountChanges = false,

            // Blank lines are read (and skipped below) so that line numbers stay physical.
            IgnoreBlankLines = false,
            MissingFieldFound = null,
            BadDataFound = args => badData ??= $"Malformed CSV quoting near \"{Shorten(args.Field)}\".",
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        };

        using var text = SourceFiles.OpenText(path);
        using var csv = new CsvReader(text, configuration);
        var (idIndex, queryIndex, columnCount) = await ReadHeaderAsync(csv, path);

        var lastLine = csv.Parser.RawRow;
        while (await ReadAsync(csv, path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var firstLine = lastLine + 1;
            lastLine = csv.Parser.RawRow;
            var position = firstLine == lastLine ? $"line {firstLine}" : $"lines {firstLine}-{lastLine}";
            var raw = csv.Parser.RawRecord.TrimEnd('\r', '\n');
            var fields = csv.Parser.Count;
            var id = fields > idIndex ? csv.GetField(idIndex)?.Trim() : null;
            var sql = fields > queryIndex ? csv.GetField(queryIndex) : null;

            if (badData is { } malformed)
            {
                badData = null;
                yield return SourceItem.Rejected<QueryRow>(position, raw, id, malformed);
            }
            else if (string.IsNullOrWhiteSpace(raw))
            {
                // Blank lines between rows carry nothing to load or report.
            }
            else if (fields < columnCount)
            {
                yield return SourceItem.Rejected<QueryRow>(position, raw, id,
                    $"The row has {fields} field(s) but the header names {columnCount}; the query is missing.");
            }
            else if (string.IsNullOrWhiteSpace(id))
            {
                yield return SourceItem.Rejected<QueryRow>(position, raw, null, "The row has no query id.");
            }
            else if (string.IsNullOrWhiteSpace(sql))
            {
                yield return SourceItem.Rejected<QueryRow>(position, raw, id, $"Query '{id}' has no SQL.");
            }
            else
            {
                var warnings = fields > columnCount
                    ? new[] { $"The row has {fields} fields but the header names {columnCount}; the extra fields were ignored." }
                    : null;
                yield return SourceItem.Loaded(position, raw, id, new QueryRow(id, sql), warnings);
            }
        }
    }

    private static async Task<(int Id, int Query, int Columns)> ReadHeaderAsync(CsvReader csv, string path)
    {
        if (!await ReadAsync(csv, path) || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            throw new ImportFileException(path, "the file is empty; expected a CSV header 'id,query'.");
        }

        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var id = names.IndexOf("id");
        var query = names.IndexOf("query");
        if (id < 0 || query < 0)
        {
            throw new ImportFileException(path,
                $"this is not a queries CSV: the first line must be the header 'id,query' but is '{Shorten(string.Join(',', header))}'.");
        }

        return (id, query, names.Count);
    }

    private static async Task<bool> ReadAsync(CsvReader csv, string path)
    {
        try
        {
            return await csv.ReadAsync();
        }
        catch (CsvHelperException e)
        {
            throw new ImportFileException(path, $"the CSV cannot be read past line {csv.Parser.RawRow}: {e.GetType().Name}.", e);
        }
    }

    private static string Shorten(string? text) =>
        text is null ? string.Empty : text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
