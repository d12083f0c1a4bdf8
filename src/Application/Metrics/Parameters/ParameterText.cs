using System.Globalization;

namespace MetricsEngine.Application.Metrics.Parameters;

/// <summary>The textual forms the API accepts for date filters: <c>YYYY-MM-DD</c> and a day count.</summary>
public static class ParameterText
{
    public const int MaxDayRange = 36_500;

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryParseDayRange(string? text, out int days) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days <= MaxDayRange;

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDateOrNull(string? text) => TryParseDate(text, out var date) ? date : null;

    public static int? ParseDayRangeOrNull(string? text) => TryParseDayRange(text, out var days) ? days : null;
}
