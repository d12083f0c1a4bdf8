using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MetricsEngine.Application.Metrics.GetMetric;

namespace MetricsEngine.Web.Serialization;

/// <summary>
/// Writes query rows as one JSON object per row, column name to value, in column order. Column
/// names are written as the query named them (never re-cased). Dates are <c>YYYY-MM-DD</c>,
/// timestamps ISO 8601 and numbers JSON numbers (docs/product.md#row-values).
/// </summary>
internal sealed class RowSetJsonConverter : JsonConverter<RowSet>
{
    public override RowSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Rows are only ever written.");

    public override void Write(Utf8JsonWriter writer, RowSet value, JsonSerializerOptions options)
    {
        var columns = value.Columns.Select(c => JsonEncodedText.Encode(c)).ToArray();
        writer.WriteStartArray();
        foreach (var row in value.Rows)
        {
            writer.WriteStartObject();
            for (var i = 0; i < columns.Length; i++)
            {
                writer.WritePropertyName(columns[i]);
                WriteValue(writer, row[i], options);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case short number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case double or float:
                // NaN and infinities have no JSON number form.
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime timestamp:
                writer.WriteStringValue(timestamp);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
