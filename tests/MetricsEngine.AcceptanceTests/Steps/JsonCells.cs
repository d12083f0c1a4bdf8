using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>
/// Comparing JSON with what a feature file writes in a table cell: text for strings (or the
/// string in quotes), <c>true</c>, <c>false</c>, <c>null</c> and numbers as JSON writes them,
/// and objects or arrays as compact JSON.
/// </summary>
public static partial class JsonCells
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value at a path such as <c>parameters.start_date.value</c> or <c>items[0].title</c>.</summary>
    public static JsonNode? At(JsonNode root, string path)
    {
        var node = root;
        foreach (Match part in PathPart().Matches(path))
        {
            if (part.Groups["name"].Success)
            {
                node = node is JsonObject obj && obj.TryGetPropertyValue(part.Groups["name"].Value, out var child)
                    ? child
                    : throw new InvalidOperationException($"The answer has no '{path}' (stopped at '{part.Value}'): {Compact(root)}");
            }
            else
            {
                var index = int.Parse(part.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                node = node is JsonArray array && index < array.Count
                    ? array[index]
                    : throw new InvalidOperationException($"The answer has no '{path}' (no item {index}): {Compact(root)}");
            }
        }

        return node;
    }

    public static bool Matches(JsonNode? actual, string cell)
    {
        if (actual is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            return text == cell || (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' && JsonNode.Parse(cell)!.GetValue<string>() == text);
        }

        return actual is null
            ? cell == "null"
            : TryParse(cell) is { } expected && JsonNode.DeepEquals(actual, expected);
    }

    public static string Show(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String
        ? value.GetValue<string>()
        : Compact(node);

    /// <summary>JSON as a person reads it in a failure message: quotes as quotes, not \u0022.</summary>
    public static string Compact(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    private static JsonNode? TryParse(string cell)
    {
        try
        {
            return JsonNode.Parse(cell);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathPart();
}
