using System.Globalization;
using MetricsEngine.Application.Metrics.ListMetrics;

namespace MetricsEngine.Web.Endpoints;

/// <summary>The paging parameters of <c>GET /metrics</c> (<c>page</c>, <c>page_size</c>).</summary>
internal static class MetricPaging
{
    /// <summary>The page asked for; a 400 naming each parameter that is not a whole number in its range.</summary>
    public static ListMetricsQuery Parse(string? page, string? pageSize)
    {
        // Written as int.TryParse reads whole numbers: surrounding spaces and a sign are allowed.
        var values = new QueryValues();
        var number = values.WholeNumber("page", page, NumberStyles.Integer, 1, int.MaxValue, "page must be a whole number from 1.");
        var size = values.WholeNumber("page_size", pageSize, NumberStyles.Integer, 1, ListMetricsQuery.MaxPageSize,
            $"page_size must be a whole number from 1 to {ListMetricsQuery.MaxPageSize}.");
        values.ThrowIfAnyInvalid();
        return new ListMetricsQuery(number, size);
    }
}
