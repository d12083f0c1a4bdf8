using System.Globalization;
using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.AddMetricRecord;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.CreateMetric;
using MetricsEngine.Application.Metrics.DeleteMetric;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.GetMetricDefinition;
using MetricsEngine.Application.Metrics.ListMetrics;
using MetricsEngine.Application.Metrics.ListMetricVersions;
using MetricsEngine.Application.Metrics.RestoreMetricVersion;
using MetricsEngine.Application.Metrics.UpdateMetric;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Authorization;
using MetricsEngine.Web.Http;
using MetricsEngine.Web.Logging;
using MetricsEngine.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MetricsEngine.Web.Endpoints;

internal static class MetricEndpoints
{
    public static IEndpointRouteBuilder MapMetricEndpoints(this IEndpointRouteBuilder routes)
    {
        var metrics = routes.MapGroup("/metrics")
            .WithTags("Metrics")
            .RequireAuthorization(Permissions.Read)
            .WithMetadata(LoggedEndpoint.Instance)
            .RequiresBearerToken()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        metrics.MapGet("/", ListAsync)
            .WithName("ListMetrics")
            .WithSummary("A page of live metrics, oldest first")
            .AllowQueryParameters("page", "page_size")
            .ProducesValidationProblem()
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.MetricPage);

        metrics.MapPost("/", CreateAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("CreateMetric")
            .WithSummary("Create a metric from a natural-language prompt or from SQL")
            .WithDescription(
                "Send `query_generation_prompt` (SQL is generated, filtered to the new metric's own records, with date " +
                "filters as parameters) or `query` (SQL over the `metrics` view; its date literals become parameters). " +
                "Either way the SQL is checked before it is stored: 422 with the reason when it is refused. Unknown fields are refused (400). " +
                "An `Idempotency-Key` makes a retry safe: the same key and body within 24 hours get the first answer and create nothing twice.")
            .AllowQueryParameters()
            .AcceptsIdempotencyKey()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .WithRequestExample(OpenApiExamples.CreateMetric);

        metrics.MapGet("/{id}", GetAsync)
            .WithName("GetMetric")
            .WithSummary("Run a metric's query and return its rows with its dashboard layout")
            .WithDescription(
                "Runs the metric's stored SQL. The query's own date literals are the defaults of its parameters: " +
                "`start_date`/`end_date` (from a `BETWEEN` window), `day_range` (from `INTERVAL 'N' DAY`) and " +
                "`as_of` (replaces `CURRENT_DATE`, default today UTC). Without parameters the result is what the " +
                "original SQL returns. A parameter the query does not use is ignored and reported as not applicable.")
            .AllowQueryParameters(
                QueryParameterNames.StartDate, QueryParameterNames.EndDate, QueryParameterNames.DayRange, QueryParameterNames.AsOf)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Metric)
            .WithResponseExample(StatusCodes.Status400BadRequest, OpenApiExamples.StartAfterEnd);

        metrics.MapGet("/{id}/definition", GetDefinitionAsync)
            .WithName("GetMetricDefinition")
            .WithSummary("A metric's definition: SQL as stored and as run, parameters with defaults, layout, version")
            .WithDescription("The `ETag` is the definition's version; send it back in `If-Match` to update safely. `If-None-Match` gives 304.")
            .AllowQueryParameters()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Definition);

        metrics.MapPut("/{id}", UpdateAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("UpdateMetric")
            .WithSummary("Replace a metric's definition")
            .WithDescription(
                "Same body as create. Without `query_generation_prompt` or `query` the metric keeps its SQL; without `title` " +
                "it keeps its title. `If-Match` with the definition's ETag makes the update conditional (412 when it changed).")
            .AllowQueryParameters()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(OpenApiExamples.UpdateMetric);

        metrics.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("DeleteMetric")
            .WithSummary("Delete a metric (soft: its history stays and any version can be restored)")
            .AllowQueryParameters()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        metrics.MapGet("/{id}/versions", ListVersionsAsync)
            .WithName("ListMetricVersions")
            .WithSummary("A metric's history: every version with who changed what and when")
            .AllowQueryParameters()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(StatusCodes.Status200OK, OpenApiExamples.Versions);

        metrics.MapPost("/{id}/versions/{version}/restore", RestoreAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("RestoreMetricVersion")
            .WithSummary("Roll back: a new version whose definition equals version n (also undeletes)")
            .AllowQueryParameters()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        metrics.MapPost("/{id}/metric-records", AddRecordAsync)
            .RequireAuthorization(Permissions.Write)
            .WithName("AddMetricRecord")
            .WithSummary("Record one event for a metric; the next read shows it")
            .WithDescription(
                "At least one measure; `date` is ISO 8601 (UTC unless an offset is given) and defaults to now. " +
                "Send an `Idempotency-Key` to make a retry safe: the same key and body within 24 hours get the first answer " +
                "and store nothing twice; the same key with another body is a 422.")
            .AllowQueryParameters()
            .AcceptsIdempotencyKey()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(OpenApiExamples.Record);

        return routes;
    }

    private static async Task<Ok<MetricPageResponse>> ListAsync(
        [FromQuery(Name = "page")] string? page, [FromQuery(Name = "page_size")] string? pageSize,
        IMediator mediator, CancellationToken cancellationToken)
    {
        var list = await mediator.Send(new ListMetricsQuery(page, pageSize), cancellationToken);
        return TypedResults.Ok(new MetricPageResponse(list.Items, list.Page, list.PageSize, list.Total));
    }

    private static async Task<Created<CreatedMetric>> CreateAsync(
        [FromBody] CreateMetricCommand? command, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(
            (command ?? throw BodyRequired()) with { IdempotencyKey = IdempotencyKeyHeader.From(http.Request) }, cancellationToken);
        return TypedResults.Created($"/metrics/{created.Id}", created);
    }

    private static async Task<CacheableJson<MetricView>> GetAsync(
        string id,
        [FromQuery(Name = QueryParameterNames.StartDate)] string? startDate,
        [FromQuery(Name = QueryParameterNames.EndDate)] string? endDate,
        [FromQuery(Name = QueryParameterNames.DayRange)] string? dayRange,
        [FromQuery(Name = QueryParameterNames.AsOf)] string? asOf,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var metric = await mediator.Send(new GetMetricQuery(RouteIds.Metric(id), startDate, endDate, dayRange, asOf), cancellationToken);
        return new CacheableJson<MetricView>(metric, metric.FreshUntil);
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
        string id, [FromBody] UpdateMetricCommand? command, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var definition = await mediator.Send(
            (command ?? throw BodyRequired()) with { Id = RouteIds.Metric(id), ExpectedVersions = EntityTags.AcceptedVersions(http.Request) },
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
        string id, [FromBody] AddMetricRecordCommand? command, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var metricId = RouteIds.Metric(id);
        var created = await mediator.Send(
            (command ?? throw BodyRequired()) with { MetricId = metricId, IdempotencyKey = IdempotencyKeyHeader.From(http.Request) },
            cancellationToken);
        return TypedResults.Created($"/metrics/{metricId}", created);
    }

    private static RequestValidationException BodyRequired() => new("body", "A JSON body is required.");
}

internal sealed record MetricPageResponse(IReadOnlyList<MetricSummary> Items, int Page, int PageSize, int Total);
