using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetricsEngine.Web.Serialization;

/// <summary>The API's JSON conventions: snake_case members, enums as snake_case strings, rows as objects.</summary>
internal static class ApiJson
{
    /// <summary>
    /// Responses are JSON, never embedded in HTML, so quotes and apostrophes in messages stay
    /// readable ("'start_date'") instead of becoming \u0027.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static void Configure(JsonSerializerOptions options)
    {
        options.Encoder = Encoder;

        // One rule for unknown fields: a request that sends one is refused (400), so a typo is
        // reported instead of silently ignored.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

        // The web defaults read "12" as a number; a number sent as text is a wrong type here.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new RowSetJsonConverter());
        options.Converters.Add(new TextWithoutNul());
    }
}
