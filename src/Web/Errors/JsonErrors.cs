using System.Text.Json;
using System.Text.RegularExpressions;
using MetricsEngine.Web.Serialization;

namespace MetricsEngine.Web.Errors;

/// <summary>
/// System.Text.Json explains failures in CLR terms ("could not be converted to
/// CreateMetricRequest"); callers need the field and what it should hold.
/// </summary>
internal static partial class JsonErrors
{
    // One message for both "1.5" and "99999999999999": what fits is what the field holds.
    private const string WholeNumber = "a whole number from -2147483648 to 2147483647";

    // The request fields and what they hold. For constructor-bound records STJ names the record,
    // not the field's type, so the expectation is stated by field name.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["is_editable"] = "true or false",
        ["static"] = "true, false or null",
        ["x"] = WholeNumber,
        ["y"] = WholeNumber,
        ["w"] = WholeNumber,
        ["h"] = WholeNumber,
        ["parts_flagged"] = WholeNumber,
        ["obsolescence"] = "a number",
        ["obsolescence_val"] = "a number",
        ["layouts"] = "an array of layout objects",
    };

    public static (string Field, string Problem) Describe(JsonException exception)
    {
        var field = string.IsNullOrEmpty(exception.Path) ? string.Empty : exception.Path.TrimStart('$').TrimStart('.');
        var message = exception.Message;
        if (UnmappedMember().Match(message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            return (field.Length == 0 ? name : field, $"'{name}' is not a field this request accepts.");
        }

        if (message.StartsWith(TextWithoutNul.Message, StringComparison.Ordinal))
        {
            return (field.Length == 0 ? "body" : field, TextWithoutNul.Message);
        }

        if (field.Length > 0 && message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var leaf = field[(field.LastIndexOf('.') + 1)..];
            var bracket = leaf.IndexOf('[', StringComparison.Ordinal);
            return (field, $"must be {Expected.GetValueOrDefault(bracket < 0 ? leaf : leaf[..bracket], "text")}.");
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            // At the root: an array, a string or a number where the request is an object.
            return ("body", "The body must be a JSON object with the fields this request accepts.");
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var reason = cut > 0 ? message[..cut] : message;

        // The serializer's own words name CLR types now and then; a caller has no use for them.
        return (field.Length == 0 ? "body" : field, NamesInternals(reason)
            ? "The body is not valid JSON."
            : $"The body is not valid JSON: {reason}");
    }

    private static bool NamesInternals(string message) =>
        message.Contains("MetricsEngine.", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal);

    [GeneratedRegex(@"The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnmappedMember();
}
