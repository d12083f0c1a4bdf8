using System.Globalization;
using System.Text.Json;

namespace MetricsEngine.Infrastructure.Importing;

/// <summary>
/// Reading one JSON object of an import file field by field, collecting every problem instead of
/// stopping at the first, so a report says all that is wrong with an item at once.
/// </summary>
internal sealed class JsonItem(JsonElement element)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public List<string> Problems { get; } = [];
    public List<string> Warnings { get; } = [];

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };

    /// <summary>The property's value, or null when absent or JSON null.</summary>
    public JsonElement? Get(string name)
    {
        _known.Add(name);
        return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public bool Has(string name) => element.TryGetProperty(name, out _);

    public string? String(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Problems.Add($"'{name}' must be text, not {Describe(value)}.");
        return null;
    }

    public decimal? Number(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        Problems.Add($"'{name}' must be a number, not {Describe(value)}.");
        return null;
    }

    public int? WholeNumber(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        Problems.Add($"'{name}' must be a whole number from -2147483648 to 2147483647, not {Describe(value)}.");
        return null;
    }

    public bool? Boolean(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Problems.Add($"'{name}' must be true or false, not {Describe(value)}.");
        return null;
    }

    public Guid? Uuid(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (Guid.TryParse(text, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        Problems.Add($"'{name}' must be a UUID, not \"{text}\".");
        return null;
    }

    /// <summary>
    /// Reads a value that must be there: absent or JSON null is reported as missing, a value of
    /// the wrong type as the reader already reported it.
    /// </summary>
    public T? Required<T>(Func<JsonItem, T?> read, string missing)
    {
        var before = Problems.Count;
        var value = read(this);
        if (value is null && Problems.Count == before)
        {
            Problems.Add(missing);
        }

        return value;
    }

    /// <summary>Warns about every property no reader asked for: ignored data is never silent.</summary>
    public void WarnAboutUnknownProperties()
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                Warnings.Add($"Unknown field '{property.Name}' was ignored.");
            }
        }
    }
}
