using System.Text.Json.Serialization.Metadata;
using MetricsEngine.Application.Metrics.AddMetricRecord;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.CreateMetric;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.GetMetricRecord;
using MetricsEngine.Application.Metrics.ListMetricVersions;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Web.Endpoints;
using MetricsEngine.Web.Endpoints.Requests;
using Microsoft.AspNetCore.OpenApi;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// The wire shapes the document cannot read off the C# types: names without C# suffixes, what the
/// validators require of a request, how rows and parameters are typed, and the problem documents
/// the error handling writes. Written as JSON Schema so a reader sees the contract as clients do.
/// </summary>
internal static class ApiSchemas
{
    /// <summary>Component names as clients see them (generated TypeScript and C# clients use these).</summary>
    private static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(CreateMetricRequest)] = "CreateMetricRequest",
        [typeof(UpdateMetricRequest)] = "UpdateMetricRequest",
        [typeof(NewMetricRecord)] = "NewMetricRecord",
        [typeof(MetricRecordView)] = "MetricRecord",
        [typeof(LayoutItem)] = "Layout",
        [typeof(MetricView)] = "Metric",
        [typeof(MetricDefinitionView)] = "MetricDefinition",
        [typeof(MetricPageResponse)] = "MetricPage",
        [typeof(MetricVersionView)] = "MetricVersion",
        [typeof(RowSet)] = "Rows",
        [typeof(HealthStatusResponse)] = "HealthStatus",
        [typeof(LivenessResponse)] = "Liveness",
        [typeof(ProbeResponse)] = "Readiness",
        [typeof(ProbeCheck)] = "ReadinessCheck",
    };

    public static string? ReferenceId(JsonTypeInfo type) =>
        Names.TryGetValue(type.Type, out var name) ? name : OpenApiOptions.CreateDefaultSchemaReferenceId(type);

    private const string NotBlank = "\\\\S";

    // A request field that may be sent as null means the same as leaving it out.
    private static readonly string DefinitionProperties = $$"""
        "title": { "type": ["string", "null"], "maxLength": {{MetricDefinitionRules<CreateMetricCommand>.MaxTitleLength}}, "pattern": "{{NotBlank}}",
          "description": "Unique among live metrics, ignoring case (409 when taken). Left out, it is derived from the prompt or from the SQL's leading `-- comment`." },
        "is_editable": { "type": "boolean", "description": "false: the metric can be changed through the import files only." },
        "layouts": { "type": "array", "maxItems": {{MetricDefinitionRules<CreateMetricCommand>.MaxLayouts}}, "items": { "$ref": "#/components/schemas/LayoutInput" },
          "description": "The tile's position for each react-grid-layout breakpoint, one layout per breakpoint (possibly none)." },
        "query_generation_prompt": { "type": ["string", "null"], "maxLength": {{MetricDefinitionRules<CreateMetricCommand>.MaxPromptLength}}, "pattern": "{{NotBlank}}",
          "description": "What to measure, in plain language; SQL is generated from it (422 when the generator's SQL is refused, 502/504 when the generator fails)." },
        "query": { "type": ["string", "null"], "maxLength": {{MetricDefinitionRules<CreateMetricCommand>.MaxQueryLength}}, "pattern": "{{NotBlank}}",
          "description": "SQL over the `metrics` view; its date literals become parameters and its leading `-- comment` the title (422 when refused)." }
        """;

    private const string PromptOrQuery = """
        [ { "required": ["query_generation_prompt"], "properties": { "query_generation_prompt": { "type": "string" } } },
          { "required": ["query"], "properties": { "query": { "type": "string" } } } ]
        """;

    // "At least one measure", each branch typed so generated clients keep the field's type.
    private static readonly string Measures = string.Join(", ", new[] { ("obsolescence", "number"), ("obsolescence_val", "number"), ("parts_flagged", "integer"), ("alert_type", "string"), ("alert_category", "string") }
        .Select(m => $$"""{ "required": ["{{m.Item1}}"], "properties": { "{{m.Item1}}": { "type": "{{m.Item2}}" } } }"""));

    /// <summary>
    /// Components replaced whole. The replacement must name exactly the properties the generated
    /// schema has, so a field added to the C# type without being described here fails the document.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Replacements = new Dictionary<string, string>
    {
        ["CreateMetricRequest"] = $$"""
            {
              "type": "object",
              "description": "A new metric. Send `query_generation_prompt` (SQL is generated) or `query` (your SQL), not both. Unknown fields are refused (400).",
              "required": ["is_editable", "layouts"],
              "properties": { {{DefinitionProperties}} },
              "oneOf": {{PromptOrQuery}},
              "additionalProperties": false
            }
            """,
        ["UpdateMetricRequest"] = $$"""
            {
              "type": "object",
              "description": "A metric's new definition. Without `query_generation_prompt` and `query` the metric keeps its SQL; without `title`, its title. Never both prompt and query. Unknown fields are refused (400).",
              "required": ["is_editable", "layouts"],
              "properties": { {{DefinitionProperties}} },
              "not": { "required": ["query_generation_prompt", "query"], "properties": { "query_generation_prompt": { "type": "string" }, "query": { "type": "string" } } },
              "additionalProperties": false
            }
            """,
        ["LayoutInput"] = $$"""
            {
              "type": "object",
              "description": "A tile position on one react-grid-layout breakpoint.",
              "required": ["breakpoint", "x", "y", "w", "h"],
              "properties": {
                "breakpoint": { "type": "string", "pattern": "{{NotBlank}}", "description": "The breakpoint's name, such as `lg`." },
                "x": { "type": "integer", "format": "int32", "minimum": 0, "maximum": {{LayoutItem.MaxCoordinate}} },
                "y": { "type": "integer", "format": "int32", "minimum": 0, "maximum": {{LayoutItem.BottomSentinel}},
                  "not": { "minimum": {{LayoutItem.MaxCoordinate + 1}}, "maximum": {{LayoutItem.BottomSentinel - 1}} },
                  "description": "The row, 0 to {{LayoutItem.MaxCoordinate}}, or {{LayoutItem.BottomSentinel}} for \"at the bottom\"." },
                "w": { "type": "integer", "format": "int32", "minimum": 1, "maximum": {{LayoutItem.MaxSize}} },
                "h": { "type": "integer", "format": "int32", "minimum": 1, "maximum": {{LayoutItem.MaxSize}} },
                "static": { "type": ["boolean", "null"], "description": "Pinned in place; null or left out: never said." }
              },
              "additionalProperties": false
            }
            """,
        ["NewMetricRecord"] = $$"""
            {
              "type": "object",
              "description": "One event for the metric's query: at least one measure, and optionally when it happened. Unknown fields are refused (400).",
              "properties": {
                "date": { "type": ["string", "null"], "pattern": "{{RecordDatePattern}}",
                  "description": "When it happened, ISO 8601 (`2025-06-03`, `2025-06-03T08:15:00Z`); UTC unless an offset is given; now when left out." },
                "obsolescence": { "type": ["number", "null"] },
                "obsolescence_val": { "type": ["number", "null"] },
                "parts_flagged": { "type": ["integer", "null"], "format": "int32" },
                "alert_type": { "type": ["string", "null"], "maxLength": {{AddMetricRecordValidator.MaxTextLength}} },
                "alert_category": { "type": ["string", "null"], "maxLength": {{AddMetricRecordValidator.MaxTextLength}} }
              },
              "allOf": [ { "anyOf": [ {{Measures}} ] } ],
              "additionalProperties": false
            }
            """,
    };

    // The forms RecordDates accepts: a date, or a date and time (T or space) with an optional offset.
    private const string RecordDatePattern =
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}((T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\\\.[0-9]{1,7})?)?| [0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]{1,7})?)(Z|[+-][0-9]{2}:[0-9]{2})?)?$";

    /// <summary>Properties of generated components replaced by a precise schema.</summary>
    public static readonly IReadOnlyDictionary<(string Component, string Property), string> PropertyReplacements = new Dictionary<(string, string), string>
    {
        [("Metric", "parameters")] = """{ "$ref": "#/components/schemas/MetricParameters" }""",
        [("Metric", "records")] = """{ "type": "array", "items": { "$ref": "#/components/schemas/Row" }, "description": "The query's rows, in its order (at most `Query__MaxRows`; see `truncated`)." }""",
    };

    /// <summary>Components with no C# type of their own: problem documents, rows, typed parameters.</summary>
    public static readonly IReadOnlyDictionary<string, string> Additions = new Dictionary<string, string>
    {
        [ProblemDetails] = """
            {
              "type": "object",
              "description": "An RFC 9457 problem document: every answer that is not a success is one.",
              "required": ["type", "title", "status", "instance", "traceId"],
              "properties": {
                "type": { "type": "string", "description": "A URI naming the kind of problem (the RFC section of the status)." },
                "title": { "type": "string", "description": "A short summary of the kind of problem." },
                "status": { "type": "integer", "format": "int32", "minimum": 400, "maximum": 599 },
                "detail": { "type": "string", "description": "What went wrong with this request, in words." },
                "instance": { "type": "string", "description": "The path that was asked for." },
                "traceId": { "type": "string", "description": "The request's W3C trace id: quote it when reporting a problem." }
              },
              "additionalProperties": true
            }
            """,
        [ValidationProblemDetails] = """
            {
              "description": "A problem document for invalid input: `errors` names every field or parameter at fault.",
              "allOf": [
                { "$ref": "#/components/schemas/ProblemDetails" },
                {
                  "type": "object",
                  "required": ["errors"],
                  "properties": {
                    "errors": {
                      "type": "object",
                      "description": "Field or parameter (`layouts[0].w`, `start_date`, `body`) to what is wrong with it.",
                      "minProperties": 1,
                      "additionalProperties": { "type": "array", "items": { "type": "string" }, "minItems": 1 }
                    }
                  }
                }
              ]
            }
            """,
        [HealthProblem] = """
            {
              "description": "The database cannot be reached; the application itself is running.",
              "allOf": [
                { "$ref": "#/components/schemas/ProblemDetails" },
                {
                  "type": "object",
                  "required": ["application", "database"],
                  "properties": { "application": { "type": "boolean" }, "database": { "type": "boolean" } }
                }
              ]
            }
            """,
        [ReadinessProblem] = """
            {
              "description": "Not ready for traffic; `checks` says which check failed and why.",
              "allOf": [
                { "$ref": "#/components/schemas/ProblemDetails" },
                {
                  "type": "object",
                  "required": ["checks"],
                  "properties": { "checks": { "type": "object", "additionalProperties": { "$ref": "#/components/schemas/ReadinessCheck" } } }
                }
              ]
            }
            """,
        ["Row"] = """
            {
              "type": "object",
              "description": "One result row: column name (as the SQL names it) to value. Dates are `YYYY-MM-DD`, timestamps ISO 8601 UTC, numerics JSON numbers; other types come as text.",
              "additionalProperties": { "type": ["string", "number", "boolean", "null"] }
            }
            """,
        ["MetricParameters"] = """
            {
              "type": "object",
              "description": "Each date filter, whether the metric's SQL uses it, and the value it ran with.",
              "required": ["start_date", "end_date", "day_range", "as_of"],
              "properties": {
                "start_date": { "$ref": "#/components/schemas/DateParameter" },
                "end_date": { "$ref": "#/components/schemas/DateParameter" },
                "day_range": { "$ref": "#/components/schemas/DayRangeParameter" },
                "as_of": { "$ref": "#/components/schemas/DateParameter" }
              },
              "additionalProperties": false
            }
            """,
        ["DateParameter"] = """
            {
              "type": "object",
              "description": "A date filter. Not applicable: the SQL has no such filter, and a value sent for it was ignored.",
              "required": ["applicable", "value", "default"],
              "properties": {
                "applicable": { "type": "boolean" },
                "value": { "type": ["string", "null"], "format": "date", "description": "The date the query ran with (the caller's or the default)." },
                "default": { "type": ["string", "null"], "format": "date", "description": "The date written in the SQL (today, for `as_of`); null when not applicable." }
              },
              "additionalProperties": false
            }
            """,
        ["DayRangeParameter"] = """
            {
              "type": "object",
              "description": "The rolling window's length in days. Not applicable: the SQL has no interval, and a value sent for it was ignored.",
              "required": ["applicable", "value", "default"],
              "properties": {
                "applicable": { "type": "boolean" },
                "value": { "type": ["integer", "null"], "format": "int32", "description": "The days the query ran with (the caller's or the default)." },
                "default": { "type": ["integer", "null"], "format": "int32", "description": "The days written in the SQL; null when not applicable." }
              },
              "additionalProperties": false
            }
            """,
    };

    public const string ProblemDetails = "ProblemDetails";
    public const string ValidationProblemDetails = "ValidationProblemDetails";
    public const string HealthProblem = "HealthProblem";
    public const string ReadinessProblem = "ReadinessProblem";

    /// <summary>Descriptions of generated components, in the words of the wire format.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["Metric"] = "A metric as a dashboard tile needs it: its rows, the filters that produced them, and its layout.",
        ["MetricDefinition"] = "A metric's definition: its SQL as stored and as run, its parameters with their defaults, its layout and version.",
        ["MetricPage"] = "One page of live metrics, oldest first.",
        ["MetricSummary"] = "A live metric in a list.",
        ["MetricVersion"] = "One entry of a metric's history.",
        ["Layout"] = "A tile position on one react-grid-layout breakpoint.",
        ["QueryParameter"] = "A date filter the metric's SQL accepts, with the default taken from the literal it replaced (`null` for `as_of`: today at the time of the call).",
        ["QueryParameterType"] = "What a parameter's values are: dates (`YYYY-MM-DD`) or whole numbers.",
        ["CreatedMetric"] = "The new metric's id.",
        ["CreatedRecord"] = "The new record's id.",
        ["MetricRecord"] = "A record as stored: the posted measures (null when not sent), its date in UTC, the metric it was read through, and when it was stored.",
        ["ImportReport"] = "What the last import did: counts per kind and every item it could not load, with the reason.",
        ["ImportCounts"] = "Per kind of item: how many were read, added, updated, left unchanged or rejected.",
        ["ItemCounts"] = "Counts for one kind of item.",
        ["ImportIssue"] = "An item that could not be loaded as written: the file, where in it, the metric or query id when one could be read, the item as it appeared and why.",
        ["IssueSeverity"] = "`error`: the item was not loaded; `warning`: it was loaded around the problem.",
        ["HealthStatus"] = "The application answers and reaches its database.",
        ["Liveness"] = "The process serves requests.",
        ["Readiness"] = "The instance takes traffic: `ready`, or `degraded` with the reason in `checks`.",
        ["ReadinessCheck"] = "One readiness check's result.",
    };

}
