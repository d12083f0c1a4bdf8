using System.Text.Json;
using MetricsEngine.Application.Imports;
using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Infrastructure.Importing;

/// <summary>
/// Reads <c>metrics.json</c>: <c>items</c> (metric id, query id, editability) and <c>layouts</c>
/// (per breakpoint, react-grid-layout entries whose <c>i</c> is a metric id). The file holds
/// definitions, not data, so it is parsed as one document.
/// </summary>
internal sealed class MetricsJsonReader : FileImportSource, IImportSource<Task<MetricsDocument>>
{
    public async Task<MetricsDocument> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = SourceFiles.OpenRead(path);
        using var document = await ParseAsync(stream, path, cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ImportFileException(path, $"expected a JSON object with 'items' and 'layouts', found {JsonItem.Describe(root)}.");
        }

        if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new ImportFileException(path, "expected an 'items' array of metrics.");
        }

        var layouts = root.TryGetProperty("layouts", out var layoutsElement) ? layoutsElement : default;
        if (layouts.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new ImportFileException(path, "expected 'layouts' to be an object of breakpoints.");
        }

        return new MetricsDocument(
            [.. items.EnumerateArray().Select((item, index) => ReadItem(item, $"items[{index}]"))],
            layouts.ValueKind == JsonValueKind.Object ? [.. ReadLayouts(layouts)] : []);
    }

    private static async Task<JsonDocument> ParseAsync(Stream stream, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ImportFileException(path,
                $"this is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).", e);
        }
    }

    private static SourceItem<MetricItem> ReadItem(JsonElement element, string position)
    {
        var raw = element.GetRawText();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return SourceItem.Rejected<MetricItem>(position, raw, null, $"A metric must be a JSON object, not {JsonItem.Describe(element)}.");
        }

        var item = new JsonItem(element);
        var key = item.Has("id") && element.GetProperty("id").ValueKind == JsonValueKind.String ? element.GetProperty("id").GetString() : null;
        var id = item.Required(i => i.Uuid("id"), "The metric has no 'id'.");

        var queryId = ReadQueryId(item);
        var isEditable = ReadIsEditable(item);

        item.WarnAboutUnknownProperties();
        return item.Problems.Count > 0 || id is null || queryId is null
            ? SourceItem.Rejected<MetricItem>(position, raw, key, [.. item.Problems])
            : SourceItem.Loaded(position, raw, key, new MetricItem(id.Value, queryId, isEditable ?? false), item.Warnings);
    }

    /// <summary>Like the query key, editability is spelled both ways; both are read and must agree.</summary>
    private static bool? ReadIsEditable(JsonItem item)
    {
        var camel = item.Boolean("isEditable");
        var snake = item.Boolean("is_editable");
        if (camel is not null && snake is not null && camel != snake)
        {
            item.Problems.Add($"'isEditable' ({(camel.Value ? "true" : "false")}) and 'is_editable' ({(snake.Value ? "true" : "false")}) disagree.");
            return null;
        }

        if (camel is null && snake is null && !item.Has("isEditable") && !item.Has("is_editable"))
        {
            item.Warnings.Add("'isEditable' is missing; the metric was loaded as not editable.");
        }

        return camel ?? snake;
    }

    /// <summary>Files spell the key both <c>queryId</c> and <c>query_id</c>; both are accepted.</summary>
    private static string? ReadQueryId(JsonItem item)
    {
        var before = item.Problems.Count;
        var camel = item.String("queryId");
        var snake = item.String("query_id");
        if (camel is not null && snake is not null && camel != snake)
        {
            item.Problems.Add($"'queryId' (\"{camel}\") and 'query_id' (\"{snake}\") disagree.");
            return null;
        }

        var queryId = (camel ?? snake)?.Trim();
        if (string.IsNullOrEmpty(queryId))
        {
            if (item.Problems.Count == before)
            {
                item.Problems.Add("The metric names no query ('queryId' or 'query_id').");
            }

            return null;
        }

        return queryId;
    }

    private static IEnumerable<SourceItem<LayoutEntry>> ReadLayouts(JsonElement layouts)
    {
        foreach (var breakpoint in layouts.EnumerateObject())
        {
            if (breakpoint.Value.ValueKind != JsonValueKind.Array)
            {
                yield return SourceItem.Rejected<LayoutEntry>($"layouts.{breakpoint.Name}", breakpoint.Value.GetRawText(), null,
                    $"Breakpoint '{breakpoint.Name}' must be an array of layout entries, not {JsonItem.Describe(breakpoint.Value)}.");
                continue;
            }

            var index = 0;
            foreach (var entry in breakpoint.Value.EnumerateArray())
            {
                yield return ReadLayout(entry, breakpoint.Name, $"layouts.{breakpoint.Name}[{index++}]");
            }
        }
    }

    private static SourceItem<LayoutEntry> ReadLayout(JsonElement element, string breakpoint, string position)
    {
        var raw = element.GetRawText();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return SourceItem.Rejected<LayoutEntry>(position, raw, null, $"A layout entry must be a JSON object, not {JsonItem.Describe(element)}.");
        }

        var item = new JsonItem(element);
        var key = element.TryGetProperty("i", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        var metricId = item.Required(i => i.Uuid("i"), "The layout entry has no 'i' (metric id).");
        var (x, y, w, h) = (Required(item, "x"), Required(item, "y"), Required(item, "w"), Required(item, "h"));

        var isStatic = item.Boolean("static");
        item.WarnAboutUnknownProperties();
        if (item.Problems.Count > 0 || metricId is null || x is null || y is null || w is null || h is null)
        {
            return SourceItem.Rejected<LayoutEntry>(position, raw, key, [.. item.Problems]);
        }

        var layout = new LayoutItem(breakpoint, x.Value, y.Value, w.Value, h.Value, isStatic);
        var problems = layout.Problems().Select(p => p.Problem).ToArray();
        return problems.Length > 0
            ? SourceItem.Rejected<LayoutEntry>(position, raw, key, problems)
            : SourceItem.Loaded(position, raw, key, new LayoutEntry(metricId.Value, layout), item.Warnings);
    }

    private static int? Required(JsonItem item, string name) =>
        item.Required(i => i.WholeNumber(name), $"The layout entry has no '{name}'.");
}
