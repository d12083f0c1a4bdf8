using System.Globalization;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Web.Endpoints;

/// <summary>Route ids arrive as text so a malformed one is answered in the API's words, not the binder's.</summary>
internal static class RouteIds
{
    public static Guid Metric(string id) =>
        Guid.TryParse(id, CultureInfo.InvariantCulture, out var metricId)
            ? metricId
            : throw new RequestValidationException("id", $"'{id}' is not a metric id: metric ids are UUIDs such as c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11.");

    public static Guid Record(string recordId) =>
        Guid.TryParse(recordId, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new RequestValidationException("recordId", $"'{recordId}' is not a record id: record ids are UUIDs, as POST .../metric-records answers.");
}
