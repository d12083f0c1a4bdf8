using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetricsEngine.Web.Serialization;

/// <summary>
/// Refuses the NUL character (U+0000) in every string of a request body: PostgreSQL text cannot
/// hold it, so it could never be stored, and no field of this API has a use for it. Checked once
/// at the edge, the refusal is a 400 naming the field instead of a database error later.
/// </summary>
internal sealed class TextWithoutNul : JsonConverter<string>
{
    public const string Message = "must not contain the NUL character (U+0000).";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is not null && text.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(Message) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
