using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetricsEngine.Web.Serialization;

/// <summary>The API's JSON conventions: snake_case members, enums as snake_case strings, rows as objects.</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new RowSetJsonConverter());
    }
}
