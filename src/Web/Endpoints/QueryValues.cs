using System.Globalization;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Web.Endpoints;

/// <summary>
/// Reads query-string values into typed ones, once, where the request arrives; handlers get only
/// the typed values. Each value that is not what its parameter takes is noted under the
/// parameter's name, and <see cref="ThrowIfAnyInvalid"/> refuses them all in one 400, so the
/// caller learns every bad field at once. A parameter that was not sent reads as null: its default
/// is the use case's business.
/// </summary>
internal sealed class QueryValues
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    /// <summary>A calendar date written <c>YYYY-MM-DD</c>.</summary>
    public DateOnly? Date(string name, string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : Invalid<DateOnly>(name, $"{name} must be a calendar date in the form YYYY-MM-DD.");

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/>, written as
    /// <paramref name="form"/> allows; <paramref name="rule"/> is the error for anything else.
    /// </summary>
    public int? WholeNumber(string name, string? text, NumberStyles form, int min, int max, string rule) =>
        text is null ? null
        : int.TryParse(text, form, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max ? number
        : Invalid<int>(name, rule);

    /// <summary>Refuses the request (400) naming every value noted as invalid; nothing when all were valid.</summary>
    public void ThrowIfAnyInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException(_errors);
        }
    }

    private T? Invalid<T>(string name, string error)
        where T : struct
    {
        _errors[name] = [error];
        return null;
    }
}
