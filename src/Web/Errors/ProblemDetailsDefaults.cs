using MetricsEngine.Web.Authorization;
using Microsoft.AspNetCore.Authorization;

namespace MetricsEngine.Web.Errors;

/// <summary>Details every problem document should carry, whoever produced it.</summary>
internal static class ProblemDetailsDefaults
{
    public static void Apply(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Instance ??= http.Request.Path;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status401Unauthorized =>
                "A valid Cognito access token is required: send 'Authorization: Bearer <token>'.",
            StatusCodes.Status403Forbidden when RequiredPermission(http) is { } permission =>
                $"The token is valid but does not grant the '{permission}' permission this endpoint needs.",
            StatusCodes.Status404NotFound => $"There is no resource at {http.Request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than the API accepts.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
            _ => null,
        };
    }

    // Endpoints name their permission as a policy; the strongest one is what was missing.
    private static string? RequiredPermission(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy)
            .Where(p => p is Permissions.Read or Permissions.Write or Permissions.Admin)
            .OrderBy(p => p switch { Permissions.Read => 0, Permissions.Write => 1, _ => 2 })
            .LastOrDefault();
}
