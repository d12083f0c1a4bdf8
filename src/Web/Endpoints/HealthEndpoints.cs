using MetricsEngine.Infrastructure.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using MetricsEngine.Web.OpenApi;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetricsEngine.Web.Endpoints;

/// <summary>
/// Anonymous probes. <c>/health</c> answers the dashboard's "is it up" (docs/product.md); <c>/health/live</c>
/// only says the process serves requests (restart it if not); <c>/health/ready</c> says whether it
/// should get traffic: database reachable, schema migrated, startup import done, keys available.
/// </summary>
internal static class HealthEndpoints
{
    // Every 503 says when to look again; probes poll on their own schedule anyway.
    private const string RetryAfterSeconds = "5";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        // Probes are never limited (a load balancer polls them) and need no token.
        var health = routes.MapGroup("/health").WithTags("Health").AllowAnonymous().DisableRateLimiting();

        health.MapGet("/", async Task<Results<Ok<HealthStatusResponse>, ProblemHttpResult>> (HealthCheckService checks, HttpResponse response, CancellationToken cancellationToken) =>
            {
                var report = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Database), cancellationToken);
                if (report.Status == HealthStatus.Healthy)
                {
                    return TypedResults.Ok(new HealthStatusResponse(Application: true, Database: true));
                }

                response.Headers.RetryAfter = RetryAfterSeconds;
                return TypedResults.Problem(
                        detail: "The application is running but cannot reach its database.",
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Database unavailable",
                        extensions: new Dictionary<string, object?> { ["application"] = true, ["database"] = false });
            })
            .WithName("Health")
            .WithSummary("Application and database status")
            .Answers(StatusCodes.Status200OK, "The application runs and reaches its database.")
            .Answers(StatusCodes.Status503ServiceUnavailable, "The application runs but cannot reach its database; retry after `Retry-After` seconds.")
            .AnswersProblemSchema(StatusCodes.Status503ServiceUnavailable, ApiSchemas.HealthProblem);

        health.MapGet("/live", () => TypedResults.Ok(new LivenessResponse("live")))
            .WithName("Liveness")
            .WithSummary("The process is up and serving requests")
            .Answers(StatusCodes.Status200OK, "The process serves requests (restart it if this fails).");

        health.MapGet("/ready", async Task<Results<Ok<ProbeResponse>, ProblemHttpResult>> (HealthCheckService checks, HttpResponse response, CancellationToken cancellationToken) =>
            {
                var report = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), cancellationToken);
                var details = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new ProbeCheck(e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description));
                // Degraded (the change feed reconnecting) still takes traffic: the instance answers
                // correctly, only without its cache, and a database blip must not empty the fleet.
                if (report.Status != HealthStatus.Unhealthy)
                {
                    return TypedResults.Ok(new ProbeResponse(report.Status == HealthStatus.Healthy ? "ready" : "degraded", details));
                }

                response.Headers.RetryAfter = RetryAfterSeconds;
                return TypedResults.Problem(
                        detail: string.Join(" ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Value.Description)),
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Not ready",
                        extensions: new Dictionary<string, object?> { ["checks"] = details });
            })
            .WithName("Readiness")
            .WithSummary("Whether the instance should receive traffic, and why not")
            .Answers(StatusCodes.Status200OK,
                "Ready: `status` is `ready` when every check passed, `degraded` when the instance serves correctly but not at its best " +
                "(the change feed reconnecting: nothing is served from the cache meanwhile); `checks` says which and why.")
            .Answers(StatusCodes.Status503ServiceUnavailable,
                "Not ready: `checks` names what is not (database, migrations, sandbox role, start-up import, signing keys); retry after `Retry-After` seconds.")
            .AnswersProblemSchema(StatusCodes.Status503ServiceUnavailable, ApiSchemas.ReadinessProblem);

        return routes;
    }
}

internal sealed record HealthStatusResponse(bool Application, bool Database);

internal sealed record LivenessResponse(string Status);

internal sealed record ProbeResponse(string Status, IReadOnlyDictionary<string, ProbeCheck> Checks);

internal sealed record ProbeCheck(string Status, string? Description);
