using System.Text.Json.Nodes;
using MetricsEngine.Web.Http;
using Microsoft.OpenApi;

namespace MetricsEngine.Web.OpenApi;

internal static class OpenApiSetup
{
    private const string BearerSchemeId = "Bearer";

    public static IServiceCollection AddMetricsEngineOpenApi(this IServiceCollection services, Func<IReadOnlyList<string>> allowedHosts) =>
        services.AddOpenApi(options =>
        {
            // HEAD is answered wherever GET is, and implied by it: the document lists GET only.
            options.ShouldInclude = description => HeadRequests.IsDocumented(description.HttpMethod)
                && (description.GroupName is null || description.GroupName == options.DocumentName);
            options.AddDocumentTransformer((document, context, _) =>
        {
            document.Servers = [new OpenApiServer { Url = ServerUrl(context.ApplicationServices.GetRequiredService<IHttpContextAccessor>().HttpContext, allowedHosts()) }];
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
        });
        });

    /// <summary>
    /// Where the API is, as the document tells clients: the request's own scheme and host only when
    /// that host is one the operator allowed (<c>ForwardedHeaders:AllowedHosts</c>); otherwise the path
    /// relative to the document, which is right behind any proxy and cannot be steered by a
    /// caller's Host or X-Forwarded-Host header.
    /// </summary>
    internal static string ServerUrl(HttpContext? http, IReadOnlyList<string> allowedHosts)
    {
        var pathBase = http?.Request.PathBase.Value is { Length: > 0 } prefix ? prefix : "/";
        return http is not null && allowedHosts.Contains(http.Request.Host.Host, StringComparer.OrdinalIgnoreCase)
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}"
            : pathBase;
    }

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

    /// <summary>Documents the optional <c>Idempotency-Key</c> request header.</summary>
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeyHeader.Name,
                In = ParameterLocation.Header,
                Required = false,
                Description = "A key you choose for this one operation (a UUID, say). Sending the same key and body again within 24 hours " +
                    "returns the first answer and changes nothing; the same key with another body is refused with 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeyHeader.MaxLength },
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
