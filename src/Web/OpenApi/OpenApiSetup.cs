using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/scalar</c>. How an
/// endpoint documents itself: docs/architecture.md, "Documenting an endpoint".
/// </summary>
internal static class OpenApiSetup
{
    /// <param name="services">The host's services.</param>
    /// <param name="allowedHosts">
    /// The hosts the operator allows in <c>X-Forwarded-Host</c> (<c>ForwardedHeaders:AllowedHosts</c>),
    /// read when the document is served: only these may appear in its <c>servers</c>.
    /// </param>
    public static IServiceCollection AddMetricsEngineOpenApi(this IServiceCollection services, Func<IReadOnlyList<string>> allowedHosts) =>
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = ApiSchemas.ReferenceId;
            options.AddSchemaTransformer(TypeStrings);
            options.AddOperationTransformer<ApiConventions>();
            options.AddDocumentTransformer((document, context, _) =>
            {
                var http = context.ApplicationServices.GetRequiredService<IHttpContextAccessor>().HttpContext;
                document.Servers = [new OpenApiServer { Url = ServerUrl(http, allowedHosts()) }];
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<ApiDocument>();
        });

    /// <summary>
    /// Every string is read through <see cref="Serialization.TextWithoutNul"/> (which refuses the NUL
    /// character), and the schema generator describes a value with a converter of its own as
    /// anything (<c>{}</c>): give strings back their type, nullable where the property is.
    /// </summary>
    private static Task TypeStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
        {
            schema.Type = context.JsonPropertyInfo is { } property && (property.IsGetNullable || property.IsSetNullable)
                ? JsonSchemaType.String | JsonSchemaType.Null
                : JsonSchemaType.String;
        }

        return Task.CompletedTask;
    }

    /// <summary>The document and its reference page; HEAD is answered for both like for every GET.</summary>
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi();
        routes.MapScalarApiReference(options => options
            .WithTitle("MetricsEngine API")
            .AddPreferredSecuritySchemes(ApiDocument.BearerSchemeId)
            .AddHttpAuthentication(ApiDocument.BearerSchemeId, scheme => scheme.Token = string.Empty)
            .EnablePersistentAuthentication()
            .AddHeaderContent(
                "<p>Running locally? <code>./run.sh token</code> prints an access token: paste it into the " +
                "<strong>Bearer Token</strong> field of the Authentication box and every request you try here sends it.</p>"));
        return routes;
    }

    /// <summary>
    /// Where the API is, as the document tells clients: the request's own scheme and host only when
    /// that host is one the operator allowed (<c>ForwardedHeaders:AllowedHosts</c>); otherwise the path
    /// relative to the document (<c>/</c> at the root), which is right behind any proxy and cannot be
    /// steered by a caller's Host or X-Forwarded-Host header.
    /// </summary>
    internal static string ServerUrl(HttpContext? http, IReadOnlyList<string> allowedHosts)
    {
        var pathBase = http?.Request.PathBase.Value is { Length: > 0 } prefix ? prefix : "/";
        return http is not null && allowedHosts.Contains(http.Request.Host.Host, StringComparer.OrdinalIgnoreCase)
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}"
            : pathBase;
    }

    /// <summary>
    /// Kept so endpoints written before the conventions still compile: an operation behind a
    /// permission is documented with the bearer scheme by <see cref="ApiConventions"/> anyway.
    /// </summary>
    public static TBuilder RequiresBearerToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder;

    /// <summary>Attaches an example to the operation's JSON request body.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, string json) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                media.Example = JsonNode.Parse(json);
            }

            return Task.CompletedTask;
        });

    /// <summary>Attaches an example body to a response of the operation.</summary>
    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int status, string json) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var response) == true)
            {
                foreach (var media in response.Content?.Values ?? [])
                {
                    media.Example = JsonNode.Parse(json);
                }
            }

            return Task.CompletedTask;
        });
}
