using MediatR;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Core.Queries;
using MetricsEngine.Web.Authorization;
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
            .AddEndpointFilter<EndpointLoggingFilter>()
            .RequiresBearerToken()
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
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .WithResponseExample(StatusCodes.Status200OK, """
                {
                  "id": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11",
                  "title": "Alerts by type",
                  "is_editable": false,
                  "parameters": {
                    "start_date": { "applicable": true, "value": "2025-06-01", "default": "2025-06-01" },
                    "end_date": { "applicable": true, "value": "2025-06-04", "default": "2025-06-30" },
                    "day_range": { "applicable": false, "value": null, "default": null },
                    "as_of": { "applicable": false, "value": null, "default": null }
                  },
                  "records": [ { "alert_type": "Critical", "total_alerts": 1 }, { "alert_type": "Warning", "total_alerts": 1 } ],
                  "truncated": false,
                  "layouts": [ { "breakpoint": "lg", "x": 5, "y": 0, "w": 5, "h": 4, "static": true } ]
                }
                """)
            .WithResponseExample(StatusCodes.Status400BadRequest, """
                {
                  "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                  "title": "Invalid request",
                  "status": 400,
                  "detail": "start_date 2025-06-10 is after end_date 2025-06-04.",
                  "errors": { "start_date": [ "start_date 2025-06-10 is after end_date 2025-06-04." ] },
                  "traceId": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                }
                """);

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
