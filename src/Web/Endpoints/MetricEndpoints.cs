using System.Globalization;
using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.AddMetricRecord;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.CreateMetric;
using MetricsEngine.Application.Metrics.DeleteMetric;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.GetMetricDefinition;
using MetricsEngine.Application.Metrics.GetMetricRecord;
using MetricsEngine.Application.Metrics.ListMetricVersions;
using MetricsEngine.Application.Metrics.RestoreMetricVersion;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Authorization;
using MetricsEngine.Web.Endpoints.Requests;
using MetricsEngine.Web.Http;
using MetricsEngine.Web.Logging;
using MetricsEngine.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MetricsEngine.Web.Endpoints;

internal static class MetricEndpoints
{
    // Create and update both resolve their SQL through the allowlist check on save (docs/adr/sandbox-allowlist.md),
    // which takes a query slot like a run does: so both answer what the check and the admission can.
    private const string BodyInvalid =
        "the body is not the expected JSON: a field missing, out of range or unknown, `query_generation_prompt` and `query` " +
        "both sent (or, to create, neither), or text with a NUL character (U+0000); `errors` names each.";

    private const string SqlRefused =
        "The SQL (sent, or generated from the prompt) is refused; `detail` names what PostgreSQL resolved: a function, " +
        "operator, relation or column the allowlist does not admit, a statement that is not a read, or a syntax error.";

    private const string CheckCallerShareFull =
        "The caller has used up its request budget, or already runs its share of queries and SQL checks " +
        "(`Query__MaxConcurrentPerCaller`); retry after `Retry-After` seconds.";

    private const string CheckPoolBusy =
        "The database cannot be reached, or every query connection stayed busy so the SQL could not be checked; " +
        "retry after `Retry-After` seconds.";

    private const string CheckOrGeneratorTimeout =
        "The SQL generator (an LLM) did not answer in time, or checking the SQL took longer than `Query__CheckTimeoutMilliseconds`.";

    public static IEndpointRouteBuilder MapMetricEndpoints(this IEndpointRouteBuilder routes)
    {
        var metrics = routes.MapGroup("/metrics")
            .WithTags("Metrics")
            .RequireAuthorization(Permissions.Read)
            .WithMetadata(LoggedEndpoint.Instance)
            .UsesDatabase();

        metrics.MapGet("/", ListAsync)
            .WithName("ListMetrics")
            .WithSummary("A page of live metrics, oldest first")
            .AllowQueryParameters("page", "page_size")
            .Answers(StatusCodes.Status200OK, "One page of live metrics; `total` counts them all.")
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.MetricPage);

        metrics.MapPost("/", CreateAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("CreateMetric")
            .WithSummary("Create a metric from a natural-language prompt or from SQL")
            .WithDescription(
                "Send `query_generation_prompt` (SQL is generated, filtered to the new metric's own records, with date " +
                "filters as parameters) or `query` (SQL over the `metrics` view; its date literals become parameters). " +
                "Either way the SQL is checked before it is stored: 422 naming what PostgreSQL resolved when it is refused, " +
                "429 or 503 with `Retry-After` when no query capacity is free. Unknown fields are refused (400). " +
                "An `Idempotency-Key` makes a retry safe: the same key and body within 24 hours get the first answer and create nothing twice.")
            .AllowQueryParameters()
            .ReadsHeader(ApiHeaders.IdempotencyKey)
            .Answers(StatusCodes.Status201Created, "Created; `Location` is the new metric's path.")
            .Answers(StatusCodes.Status400BadRequest, "A query parameter was sent, the `Idempotency-Key` is malformed, or " + BodyInvalid)
            .Answers(StatusCodes.Status409Conflict, "The title is taken by another live metric (titles are unique ignoring case).")
            .Answers(StatusCodes.Status422UnprocessableEntity, SqlRefused + " Or the `Idempotency-Key` was already used with another body.")
            .Answers(StatusCodes.Status429TooManyRequests, CheckCallerShareFull)
            .Answers(StatusCodes.Status502BadGateway, "The SQL generator (an LLM) failed.")
            .Answers(StatusCodes.Status503ServiceUnavailable, CheckPoolBusy)
            .Answers(StatusCodes.Status504GatewayTimeout, CheckOrGeneratorTimeout)
            .WithRequestExample(OpenApiExamples.CreateMetric)
            .WithResponseExample(StatusCodes.Status201Created, OpenApiExamples.Created);

        metrics.MapLiveEndpoints();

        metrics.MapGet("/{id}", GetAsync)
            .WithName("GetMetric")
            .WithSummary("Run a metric's query and return its rows with its dashboard layout")
            .WithDescription(
                "Runs the metric's stored SQL. The query's own date literals are the defaults of its parameters: " +
                "`start_date`/`end_date` (from a `BETWEEN` window), `day_range` (from `INTERVAL 'N' DAY`) and " +
                "`as_of` (replaces `CURRENT_DATE`, default today UTC). Without parameters the result is what the " +
                "original SQL returns. A parameter the query does not use is ignored and reported as not applicable. " +
                "A result larger than `Query__MaxResultBytes` is 422; when the caller already runs its share of uncached " +
                "queries it is 429, when every query connection is busy 503, both with `Retry-After`.")
            .AllowQueryParameters(
                QueryParameterNames.StartDate, QueryParameterNames.EndDate, QueryParameterNames.DayRange, QueryParameterNames.AsOf)
            .ReadsHeader(ApiHeaders.IfNoneMatch)
            .Answers(StatusCodes.Status200OK, "The metric's rows with the filters they were produced with, and its layout.")
            .Answers(StatusCodes.Status400BadRequest,
                "The request is invalid: a malformed id, an unknown or repeated query parameter, a value of the wrong form, or `start_date` after `end_date`; `errors` names each.")
            .Answers(StatusCodes.Status404NotFound, "No live metric has this id.")
            .Answers(StatusCodes.Status422UnprocessableEntity,
                "The metric's stored SQL is refused (the allowlist check runs again before it first runs in each process), fails when it runs, " +
                "or its result is larger than `Query__MaxResultBytes`; `detail` says which.")
            .Answers(StatusCodes.Status429TooManyRequests,
                "The caller has used up its request budget, or already runs its share of uncached queries (`Query__MaxConcurrentPerCaller`); " +
                "retry after `Retry-After` seconds.")
            .Answers(StatusCodes.Status503ServiceUnavailable,
                "The database cannot be reached, or every query connection stayed busy (or the queue for them was full); retry after `Retry-After` seconds.")
            .Answers(StatusCodes.Status504GatewayTimeout,
                "The metric's query ran longer than `Query__TimeoutSeconds` (or its first-run check longer than `Query__CheckTimeoutMilliseconds`).")
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Metric)
            .WithResponseExample(StatusCodes.Status400BadRequest, OpenApiExamples.StartAfterEnd);

        metrics.MapGet("/{id}/definition", GetDefinitionAsync)
            .WithName("GetMetricDefinition")
            .WithSummary("A metric's definition: SQL as stored and as run, parameters with defaults, layout, version")
            .WithDescription("The `ETag` is the definition's version; send it back in `If-Match` to update safely. `If-None-Match` gives 304.")
            .AllowQueryParameters()
            .ReadsHeader(ApiHeaders.IfNoneMatch)
            .Produces(StatusCodes.Status304NotModified)
            .AnswersHeader(StatusCodes.Status200OK, ApiHeaders.ETag)
            .AnswersHeader(StatusCodes.Status304NotModified, ApiHeaders.ETag)
            .Answers(StatusCodes.Status200OK, "The definition; `ETag` is its version.")
            .Answers(StatusCodes.Status404NotFound, "No live metric has this id.")
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Definition);

        metrics.MapPut("/{id}", UpdateAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("UpdateMetric")
            .WithSummary("Replace a metric's definition")
            .WithDescription(
                "Takes `is_editable` and `layouts`, and optionally `title` and one of `query_generation_prompt` or `query`. " +
                "Without a prompt or query the metric keeps its SQL; without `title` it keeps its title. " +
                "`If-Match` with the definition's ETag makes the update conditional (412 when it changed).")
            .AllowQueryParameters()
            .ReadsHeader(ApiHeaders.IfMatch)
            .AnswersHeader(StatusCodes.Status200OK, ApiHeaders.ETag)
            .Answers(StatusCodes.Status200OK, "The new definition; `ETag` is its version.")
            .Answers(StatusCodes.Status400BadRequest, "The id is malformed, a query parameter was sent, or " + BodyInvalid)
            .Answers(StatusCodes.Status404NotFound, "No live metric has this id.")
            .Answers(StatusCodes.Status409Conflict,
                "The metric is not editable (`is_editable: false`: change it through the import files), the title is taken, or it changed meanwhile (retry).")
            .Answers(StatusCodes.Status412PreconditionFailed, "`If-Match` names none of the metric's current version.")
            .Answers(StatusCodes.Status422UnprocessableEntity, SqlRefused)
            .Answers(StatusCodes.Status429TooManyRequests, CheckCallerShareFull)
            .Answers(StatusCodes.Status502BadGateway, "The SQL generator (an LLM) failed.")
            .Answers(StatusCodes.Status503ServiceUnavailable, CheckPoolBusy)
            .Answers(StatusCodes.Status504GatewayTimeout, CheckOrGeneratorTimeout)
            .WithRequestExample(OpenApiExamples.UpdateMetric)
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Definition);

        metrics.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("DeleteMetric")
            .WithSummary("Delete a metric (soft: its history stays and any version can be restored)")
            .AllowQueryParameters()
            .ReadsHeader(ApiHeaders.IfMatch)
            .Answers(StatusCodes.Status204NoContent, "Deleted; `POST /metrics/{id}/versions/{version}/restore` brings it back.")
            .Answers(StatusCodes.Status404NotFound, "No live metric has this id.")
            .Answers(StatusCodes.Status409Conflict, "The metric is not editable (`is_editable: false`): it is changed through the import files only.")
            .Answers(StatusCodes.Status412PreconditionFailed, "`If-Match` names none of the metric's current version.");

        metrics.MapGet("/{id}/versions", ListVersionsAsync)
            .WithName("ListMetricVersions")
            .WithSummary("A metric's history: every version with who changed what and when")
            .AllowQueryParameters()
            .Answers(StatusCodes.Status200OK, "Every version, oldest first.")
            .Answers(StatusCodes.Status404NotFound, "No metric, live or deleted, has this id.")
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Versions);

        metrics.MapPost("/{id}/versions/{version}/restore", RestoreAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("RestoreMetricVersion")
            .WithSummary("Roll back: a new version whose definition equals version n (also undeletes)")
            .AllowQueryParameters()
            .AnswersHeader(StatusCodes.Status200OK, ApiHeaders.ETag)
            .Answers(StatusCodes.Status200OK, "The restored definition, now the newest version; `ETag` is that version.")
            .Answers(StatusCodes.Status400BadRequest, "The id is not a UUID, the version not a whole number from 1, or a query parameter was sent; `errors` names each.")
            .Answers(StatusCodes.Status404NotFound, "No metric has this id, or it has no such version.")
            .Answers(StatusCodes.Status409Conflict, "The metric is not editable, the restored title is now taken by another metric, or it changed meanwhile (retry).")
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Definition);

        metrics.MapPost("/{id}/metric-records", AddRecordAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("AddMetricRecord")
            .WithSummary("Record one event for a metric; the next read shows it")
            .WithDescription(
                "At least one measure; `date` is ISO 8601 (UTC unless an offset is given) and defaults to now. " +
                "Send an `Idempotency-Key` to make a retry safe: the same key and body within 24 hours get the first answer " +
                "and store nothing twice; the same key with another body is a 422.")
            .AllowQueryParameters()
            .ReadsHeader(ApiHeaders.IdempotencyKey)
            .Answers(StatusCodes.Status201Created, "Recorded; the metric's next read includes it. A retry with the same `Idempotency-Key` and body gets this answer again.")
            .Answers(StatusCodes.Status400BadRequest,
                "The id is malformed, a query parameter was sent, the `Idempotency-Key` is malformed, or the body is not the expected JSON " +
                "(no measure, a date that is not ISO 8601 or is outside the storable range once in UTC, text over 200 characters or with a " +
                "NUL character); `errors` names each.")
            .Answers(StatusCodes.Status404NotFound, "No live metric has this id.")
            .Answers(StatusCodes.Status422UnprocessableEntity, "The `Idempotency-Key` was already used, within 24 hours, with another body or for another metric.")
            .WithRequestExample(OpenApiExamples.Record)
            .WithResponseExample(StatusCodes.Status201Created, OpenApiExamples.Created);

        metrics.MapGet("/{id}/metric-records/{recordId}", GetRecordAsync)
            .WithName("GetMetricRecord")
            .WithSummary("One stored record of a metric, as saved (the Location of a posted record)")
            .AllowQueryParameters()
            .Answers(StatusCodes.Status200OK, "The record as stored: the posted measures, its date resolved to UTC, and when it was stored.")
            .Answers(StatusCodes.Status400BadRequest, "The metric id or the record id is not a UUID, or a query parameter was sent; `errors` names each.")
            .Answers(StatusCodes.Status404NotFound,
                "No live metric has this id, or it has no such record (a record is seen through a metric whose query reads it).")
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.StoredRecord);

        return routes;
    }

    private static async Task<Ok<MetricPageResponse>> ListAsync(
        [FromQuery(Name = "page")] string? page, [FromQuery(Name = "page_size")] string? pageSize,
        IMediator mediator, CancellationToken cancellationToken)
    {
        var list = await mediator.Send(MetricPaging.Parse(page, pageSize), cancellationToken);
        return TypedResults.Ok(new MetricPageResponse(list.Items, list.Page, list.PageSize, list.Total));
    }

    private static async Task<Created<CreatedMetric>> CreateAsync(
        [FromBody] CreateMetricRequest? body, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(
            (body ?? throw BodyRequired()).ToCommand(IdempotencyKeyHeader.From(http.Request)), cancellationToken);
        return TypedResults.Created($"/metrics/{created.Id}", created);
    }

    private static async Task<CacheableJson> GetAsync(
        string id,
        [FromQuery(Name = QueryParameterNames.StartDate)] string? startDate,
        [FromQuery(Name = QueryParameterNames.EndDate)] string? endDate,
        [FromQuery(Name = QueryParameterNames.DayRange)] string? dayRange,
        [FromQuery(Name = QueryParameterNames.AsOf)] string? asOf,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var metricId = RouteIds.Metric(id);
        var answer = await mediator.Send(new GetMetricQuery(metricId, MetricWindow.Parse(startDate, endDate, dayRange, asOf)), cancellationToken);
        return new CacheableJson(answer);
    }

    private static async Task<Results<Ok<MetricDefinitionView>, StatusCodeHttpResult>> GetDefinitionAsync(
        string id, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var definition = await mediator.Send(new GetMetricDefinitionQuery(RouteIds.Metric(id)), cancellationToken);
        var tag = EntityTags.ForVersion(definition.Version);
        http.Response.Headers.ETag = tag;
        return EntityTags.IsNotModified(http.Request, tag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(definition);
    }

    private static async Task<Ok<MetricDefinitionView>> UpdateAsync(
        string id, [FromBody] UpdateMetricRequest? body, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var definition = await mediator.Send(
            (body ?? throw BodyRequired()).ToCommand(RouteIds.Metric(id), EntityTags.AcceptedVersions(http.Request)),
            cancellationToken);
        http.Response.Headers.ETag = EntityTags.ForVersion(definition.Version);
        return TypedResults.Ok(definition);
    }

    private static async Task<NoContent> DeleteAsync(string id, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteMetricCommand(RouteIds.Metric(id), EntityTags.AcceptedVersions(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<MetricVersionView>>> ListVersionsAsync(string id, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListMetricVersionsQuery(RouteIds.Metric(id)), cancellationToken));

    private static async Task<Ok<MetricDefinitionView>> RestoreAsync(
        string id, string version, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new RequestValidationException("version", $"'{version}' is not a version number: versions are whole numbers from 1.");
        }

        var definition = await mediator.Send(new RestoreMetricVersionCommand(RouteIds.Metric(id), number), cancellationToken);
        http.Response.Headers.ETag = EntityTags.ForVersion(definition.Version);
        return TypedResults.Ok(definition);
    }

    private static async Task<Created<CreatedRecord>> AddRecordAsync(
        string id, [FromBody] NewMetricRecord? body, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var metricId = RouteIds.Metric(id);
        var created = await mediator.Send(
            (body ?? throw BodyRequired()).ToCommand(metricId, IdempotencyKeyHeader.From(http.Request)),
            cancellationToken);
        return TypedResults.Created($"/metrics/{metricId}/metric-records/{created.Id}", created);
    }

    private static async Task<Ok<MetricRecordView>> GetRecordAsync(string id, string recordId, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetMetricRecordQuery(RouteIds.Metric(id), RouteIds.Record(recordId)), cancellationToken));

    private static RequestValidationException BodyRequired() => new("body", "A JSON body is required.");
}

internal sealed record MetricPageResponse(IReadOnlyList<MetricSummary> Items, int Page, int PageSize, int Total);
