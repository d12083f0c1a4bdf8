using MediatR;
using MetricsEngine.Application.Imports.GetLatestImport;
using MetricsEngine.Web.Authorization;
using MetricsEngine.Web.Logging;
using MetricsEngine.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetricsEngine.Web.Endpoints;

internal static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder routes)
    {
        var imports = routes.MapGroup("/imports")
            .WithTags("Imports")
            .RequireAuthorization(Permissions.Admin)
            .WithMetadata(LoggedEndpoint.Instance)
            .UsesDatabase();

        imports.MapGet("/latest", async Task<Ok<ImportReport>> (IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new GetLatestImportQuery(), cancellationToken)))
            .WithName("GetLatestImport")
            .WithSummary("The last import's report: counts per kind and every item it could not load, with the reason")
            .AllowQueryParameters()
            .Answers(StatusCodes.Status200OK, "The last import's report.")
            .Answers(StatusCodes.Status404NotFound, "Nothing has been imported yet.")
            .WithResponseExample(StatusCodes.Status200OK, """
                {
                  "id": "01a210d6-2923-7079-bb63-cd39e7870c77",
                  "started_at": "2026-11-25T03:35:38.9+00:00",
                  "finished_at": "2026-11-25T03:35:40.4+00:00",
                  "counts": { "queries": { "read": 9, "added": 6, "updated": 0, "unchanged": 0, "rejected": 3 } },
                  "issue_count": 1,
                  "issues": [ { "file": "queries.csv", "position": "line 46", "severity": "error", "key": "q_blank",
                                "reason": "Query 'q_blank' has no SQL.", "raw": "q_blank,\"   \"" } ]
                }
                """);

        return routes;
    }
}
