using System.Globalization;
using System.Text.RegularExpressions;

namespace MetricsEngine.Core.Records;

/// <summary>
/// The date forms records accept, from files and from the API alike: ISO 8601, with or without
/// a time; without an offset a time is UTC (docs/product.md#records-and-measures: dates are UTC).
/// </summary>
public static partial class RecordDates
{
    public const string Example = "2025-06-03T00:00:00";

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd",
    ];

    /// <summary>
    /// Reads <paramref name="text"/> as a UTC instant. A date whose offset takes it outside the
    /// representable range once converted to UTC (<c>0001-01-01T00:00:00+14:00</c> is still
    /// year 0 in UTC) is refused, never clamped or shifted onto another day.
    /// </summary>
    public static bool TryParseUtc(string? text, out DateTime utc)
    {
        var parsed = DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant);
        utc = parsed ? instant.UtcDateTime : default;
        return parsed;
    }

    /// <summary>Written as a date this API reads, but outside the representable range once converted to UTC.</summary>
    public static bool IsOutOfRange(string? text) =>
        text is not null && !TryParseUtc(text, out _) && Offset().Match(text) is { Success: true } offset && TryParseUtc(text[..offset.Index], out _);

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex Offset();

    public const string RangeMessage = "is outside the range of dates that can be stored (0001-01-01 to 9999-12-31 once converted to UTC).";
}
