using System.Globalization;

namespace MetricsEngine.Core.Records;

/// <summary>
/// The date forms records accept, from files and from the API alike: ISO 8601, with or without
/// a time; without an offset a time is UTC (docs/product.md#records-and-measures: dates are UTC).
/// </summary>
public static class RecordDates
{
    public const string Example = "2025-06-03T00:00:00";

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd",
    ];

    public static bool TryParseUtc(string? text, out DateTime utc) =>
        DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out utc);
}
