using System.Globalization;
using System.Text.Json.Nodes;
using Scalar.AspNetCore;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/scalar</c>. How an
/// endpoint documents itself: docs/architecture.md, "Documenting an endpoint".
/// </summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddMetricsEngineOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = ApiSchemas.ReferenceId;
            options.AddOperationTransformer<ApiConventions>();
            options.AddDocumentTransformer<ApiDocument>();
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(options => options
            .WithTitle("MetricsEngine API")
            .AddPreferredSecuritySchemes(ApiDocument.BearerSchemeId)
            .AddHttpAuthentication(ApiDocument.BearerSchemeId, scheme => scheme.Token = string.Empty)
            .EnablePersistentAuthentication()
            .AddHeaderContent(
                "<p>Running locally? <code>./run.sh token</code> prints an access token: paste it into the " +
                "<strong>Bearer Token</strong> field of the Authentication box and every request you try here sends it.</p>"));
        return app;
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
