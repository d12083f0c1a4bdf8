using MetricsEngine.Application.Metrics.ListMetrics;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Queries;
using Microsoft.OpenApi;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// Every path and query parameter of the API, described once by name. Endpoints bind them as text
/// so that a malformed value is answered in the API's words (400); the document says what a valid
/// value is. An operation whose parameter is missing here fails the document's generation, so a
/// new parameter cannot go out undescribed.
/// </summary>
internal static class ApiParameters
{
    private static readonly Dictionary<(ParameterLocation, string), OpenApiParameter> Catalog = new[]
    {
        Path("id", "The metric's id (a UUID).", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }, "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11"),
        Path("recordId", "The record's id (a UUID), as `POST /metrics/{id}/metric-records` answered it.",
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }, "01a233d8-4d70-7859-8ae5-da5d51e2bfb7"),
        Path("version", "A version number from the metric's history (`GET /metrics/{id}/versions`).",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" }, 1),
        new OpenApiParameter
        {
            Name = "id",
            In = ParameterLocation.Query,
            Required = true,
            Description = $"A metric to follow (a UUID); repeat it for each metric, 1 to {Live.LiveOptions.MaxMetricsPerStream} of them.",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                MinItems = 1,
                MaxItems = Live.LiveOptions.MaxMetricsPerStream,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            },
            Style = ParameterStyle.Form,
            Explode = true,
            Example = System.Text.Json.JsonSerializer.SerializeToNode(new[] { "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11", "5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41" }),
        },
        Query("page", "The page to return, from 1.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Default = 1 }),
        Query("page_size", $"Metrics per page, 1 to {ListMetricsQuery.MaxPageSize}.",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = ListMetricsQuery.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = ListMetricsQuery.DefaultPageSize }),
        Query(QueryParameterNames.StartDate, "First day of the window (inclusive); defaults to the start date written in the metric's SQL. Must not be after `end_date`.",
            Date(), "2025-06-01"),
        Query(QueryParameterNames.EndDate, "Last day of the window (inclusive); defaults to the end date written in the metric's SQL.",
            Date(), "2025-06-04"),
        Query(QueryParameterNames.DayRange, $"Length of a rolling window in days, 0 to {RequestedParameters.MaxDayRange}; defaults to the interval written in the metric's SQL.",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = RequestedParameters.MaxDayRange.ToString(System.Globalization.CultureInfo.InvariantCulture) }, 7),
        Query(QueryParameterNames.AsOf, "The day that stands for `CURRENT_DATE` in the metric's SQL; defaults to today (UTC).",
            Date(), "2025-06-30"),
    }.ToDictionary(p => (p.In!.Value, p.Name!));

    /// <summary>The component id under which a parameter is described (<c>#/components/parameters/…</c>).</summary>
    public static string ComponentId(OpenApiParameter parameter) => parameter.In == ParameterLocation.Path ? $"path.{parameter.Name}" : parameter.Name!;

    public static bool TryGet(ParameterLocation location, string name, out OpenApiParameter parameter) =>
        Catalog.TryGetValue((location, name), out parameter!);

    public static IEnumerable<OpenApiParameter> All => Catalog.Values;

    private static OpenApiSchema Date() => new() { Type = JsonSchemaType.String, Format = "date" };

    private static OpenApiParameter Path(string name, string description, OpenApiSchema schema, object example) => new()
    {
        Name = name,
        In = ParameterLocation.Path,
        Required = true,
        Description = description,
        Schema = schema,
        Example = System.Text.Json.JsonSerializer.SerializeToNode(example),
    };

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema, object? example = null) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = schema,
        Example = example is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(example),
    };
}
