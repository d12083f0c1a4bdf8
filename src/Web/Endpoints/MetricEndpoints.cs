using MediatR;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Core.Queries;
using MetricsEngine.Web.Logging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MetricsEngine.Web.Endpoints;

internal static class MetricEndpoints
{
    public static IEndpointRouteBuilder MapMetricEndpoints(this IEndpointRouteBuilder routes)
    {
        var metrics = routes.MapGroup("/metrics")
            .WithTags("Metrics")
            .RequireAuthorization()
            .AddEndpointFilter<EndpointLoggingFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        metrics.MapGet("/{id}", GetMetricAsync)
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
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        return routes;
    }

    private static async Task<Ok<MetricView>> GetMetricAsync(
        string id,
        [FromQuery(Name = QueryParameterNames.StartDate)] string? startDate,
        [FromQuery(Name = QueryParameterNames.EndDate)] string? endDate,
        [FromQuery(Name = QueryParameterNames.DayRange)] string? dayRange,
        [FromQuery(Name = QueryParameterNames.AsOf)] string? asOf,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetMetricQuery(RouteIds.Metric(id), startDate, endDate, dayRange, asOf), cancellationToken));
}
