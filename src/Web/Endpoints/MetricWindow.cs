using System.Globalization;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Web.Endpoints;

/// <summary>
/// The date filters of a metric's answer (<c>start_date</c>, <c>end_date</c>, <c>day_range</c>,
/// <c>as_of</c>), as <c>GET /metrics/{id}</c> and the event streams take them.
/// </summary>
internal static class MetricWindow
{
    /// <summary>The filters as typed values; a 400 naming each one that is malformed or out of range.</summary>
    public static RequestedParameters Parse(string? startDate, string? endDate, string? dayRange, string? asOf)
    {
        var values = new QueryValues();
        var start = values.Date(QueryParameterNames.StartDate, startDate);
        var end = values.Date(QueryParameterNames.EndDate, endDate);
        var asOfDate = values.Date(QueryParameterNames.AsOf, asOf);
        var days = values.WholeNumber(QueryParameterNames.DayRange, dayRange, NumberStyles.None, 0, RequestedParameters.MaxDayRange,
            $"day_range must be a whole number of days from 0 to {RequestedParameters.MaxDayRange}.");
        values.ThrowIfAnyInvalid();
        return new RequestedParameters(start, end, days, asOfDate);
    }
}
