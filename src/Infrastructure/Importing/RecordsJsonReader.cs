using System.Runtime.CompilerServices;
using System.Text.Json;
using MetricsEngine.Application.Imports;
using MetricsEngine.Core.Records;

namespace MetricsEngine.Infrastructure.Importing;

/// <summary>
/// Streams <c>metric_records.json</c> (a top-level array) one element at a time, so a file of
/// millions of records is never held in memory.
/// </summary>
internal sealed class RecordsJsonReader : FileImportSource, IImportSource<IAsyncEnumerable<SourceItem<RecordRow>>>
{
    public async IAsyncEnumerable<SourceItem<RecordRow>> ReadAsync(
        string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = SourceFiles.OpenRead(path);
        if (await FirstSignificantByteAsync(stream, cancellationToken) is not (byte)'[')
        {
            throw new ImportFileException(path, "this is not a JSON array of records.");
        }

        stream.Position = 0;
        await using var elements = JsonSerializer
            .DeserializeAsyncEnumerable<JsonElement>(stream, topLevelValues: false, cancellationToken: cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        var index = 0;
        while (await MoveNextAsync(elements, path))
        {
            yield return ReadRecord(elements.Current, $"[{index}]");
            index++;
        }
    }

    private static async Task<bool> MoveNextAsync(IAsyncEnumerator<JsonElement> elements, string path)
    {
        try
        {
            return await elements.MoveNextAsync();
        }
        catch (JsonException e)
        {
            throw new ImportFileException(path,
                $"the JSON is malformed at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}; nothing from this file was kept.", e);
        }
    }

    /// <summary>The first byte that is not whitespace or a UTF-8 byte order mark.</summary>
    private static async Task<byte?> FirstSignificantByteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, cancellationToken) == 1)
        {
            if (buffer[0] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
            {
                return buffer[0];
            }
        }

        return null;
    }

    private static SourceItem<RecordRow> ReadRecord(JsonElement element, string position)
    {
        var raw = element.GetRawText();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return SourceItem.Rejected<RecordRow>(position, raw, null, $"A record must be a JSON object, not {JsonItem.Describe(element)}.");
        }

        var item = new JsonItem(element);
        var queryId = item.Required(i => i.String("id"), "The record has no 'id' (query id).")?.Trim();
        var date = item.Required(i => ReadDate(i), "The record has no 'date'.");
        var measures = new Measures(
            item.Number("obsolescence"),
            item.Number("obsolescence_val"),
            item.WholeNumber("parts_flagged"),
            item.String("alert_type"),
            item.String("alert_category"));
        item.WarnAboutUnknownProperties();

        if (item.Problems.Count == 0 && !measures.HasAny)
        {
            item.Problems.Add($"The record has no measure ({string.Join(", ", Measures.Names)}).");
        }

        if (string.IsNullOrEmpty(queryId) && item.Problems.Count == 0)
        {
            item.Problems.Add("The record's 'id' (query id) is blank.");
        }

        return item.Problems.Count > 0 || queryId is null || date is null
            ? SourceItem.Rejected<RecordRow>(position, raw, queryId, [.. item.Problems])
            : SourceItem.Loaded(position, raw, queryId, new RecordRow(queryId, date.Value, measures), item.Warnings);
    }

    /// <summary>ISO 8601 dates; without an offset they are UTC (docs/product.md#import-files: dates are UTC).</summary>
    private static DateTime? ReadDate(JsonItem item)
    {
        var text = item.String("date");
        if (text is null)
        {
            return null;
        }

        if (RecordDates.TryParseUtc(text, out var date))
        {
            return date;
        }

        item.Problems.Add(RecordDates.IsOutOfRange(text)
            ? $"'date' \"{text}\" {RecordDates.RangeMessage}"
            : $"'date' must be an ISO 8601 date such as {RecordDates.Example}, not \"{text}\".");
        return null;
    }
}
