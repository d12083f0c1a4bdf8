using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace MetricsEngine.Web.OpenApi;

internal static class OpenApiSetup
{
    private const string BearerSchemeId = "Bearer";

    public static IServiceCollection AddMetricsEngineOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "MetricsEngine API",
                Version = "v1",
                Description =
                    "Runs the stored SQL behind dashboard metrics on PostgreSQL, with date filters, and returns the rows " +
                    "with each metric's react-grid-layout positions. Every /metrics endpoint takes a Cognito access token " +
                    "(`Authorization: Bearer ...`). Errors are RFC 9457 problem+json.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerSchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Cognito access token (token_use=access) from an allowed app client.",
            };
            return Task.CompletedTask;
        }));

    /// <summary>Marks the endpoints as needing a bearer token in the document.</summary>
    public static TBuilder RequiresBearerToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerSchemeId, context.Document)] = [],
            });
            return Task.CompletedTask;
        });

    /// <summary>Attaches an example to the operation's JSON request body.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, string json) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = JsonNode.Parse(json);
                }
            }

            return Task.CompletedTask;
        });

    /// <summary>Attaches an example body to a response of the operation.</summary>
    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int status, string json) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = JsonNode.Parse(json);
                }
            }

            return Task.CompletedTask;
        });
}
