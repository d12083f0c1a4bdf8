using System.Globalization;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Reads a column into the CLR value that serialises as docs/product.md#row-values asks: <c>date</c> as
/// <c>YYYY-MM-DD</c>, timestamps as ISO 8601 UTC, numerics as JSON numbers, and anything exotic
/// as its PostgreSQL text.
/// </summary>
internal static class ValueReaders
{
    public static Func<NpgsqlDataReader, int, object> For(string dataTypeName) => dataTypeName switch
    {
        "date" => (r, i) => r.GetFieldValue<DateOnly>(i),
        "timestamp without time zone" => (r, i) => DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc),
        "timestamp with time zone" => (r, i) => r.GetFieldValue<DateTime>(i),
        "numeric" => ReadNumeric,
        "smallint" or "integer" or "bigint" or "real" or "double precision" or "boolean"
            or "text" or "character varying" or "character" or "uuid" or "name" => (r, i) => r.GetValue(i),
        _ => ReadAsText,
    };

    // numeric can hold values (NaN, > 28 digits) that decimal cannot; those keep full precision as double.
    private static object ReadNumeric(NpgsqlDataReader reader, int ordinal)
    {
        try
        {
            return reader.GetDecimal(ordinal);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException)
        {
            return reader.GetDouble(ordinal);
        }
    }

    private static object ReadAsText(NpgsqlDataReader reader, int ordinal)
    {
        var value = reader.GetValue(ordinal);
        return value is string or bool or short or int or long or float or double or decimal or Guid
            ? value
            : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
