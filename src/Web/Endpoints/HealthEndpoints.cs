using MetricsEngine.Infrastructure.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MetricsEngine.Web.Endpoints;

/// <summary>
/// Anonymous probes. <c>/health</c> answers the dashboard's "is it up" (SPEC §4); <c>/health/live</c>
/// only says the process serves requests (restart it if not); <c>/health/ready</c> says whether it
/// should get traffic: database reachable, schema migrated, startup import done, keys available.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/health").WithTags("Health").AllowAnonymous();

        health.MapGet("/", async Task<Results<Ok<HealthStatusResponse>, ProblemHttpResult>> (HealthCheckService checks, CancellationToken cancellationToken) =>
            {
                var report = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Database), cancellationToken);
                return report.Status == HealthStatus.Healthy
                    ? TypedResults.Ok(new HealthStatusResponse(Application: true, Database: true))
                    : TypedResults.Problem(
                        detail: "The application is running but cannot reach its database.",
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Database unavailable",
                        extensions: new Dictionary<string, object?> { ["application"] = true, ["database"] = false });
            })
            .WithName("Health")
            .WithSummary("Application and database status")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        health.MapGet("/live", () => TypedResults.Ok(new LivenessResponse("live")))
            .WithName("Liveness")
            .WithSummary("The process is up and serving requests");

        health.MapGet("/ready", async Task<Results<Ok<ProbeResponse>, ProblemHttpResult>> (HealthCheckService checks, CancellationToken cancellationToken) =>
            {
                var report = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), cancellationToken);
                var details = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new ProbeCheck(e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description));
                return report.Status == HealthStatus.Healthy
                    ? TypedResults.Ok(new ProbeResponse("ready", details))
                    : TypedResults.Problem(
                        detail: string.Join(" ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Value.Description)),
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Not ready",
                        extensions: new Dictionary<string, object?> { ["checks"] = details });
            })
            .WithName("Readiness")
            .WithSummary("Whether the instance should receive traffic, and why not")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return routes;
    }
}

internal sealed record HealthStatusResponse(bool Application, bool Database);

internal sealed record LivenessResponse(string Status);

internal sealed record ProbeResponse(string Status, IReadOnlyDictionary<string, ProbeCheck> Checks);

internal sealed record ProbeCheck(string Status, string? Description);
