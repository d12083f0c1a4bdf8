using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// The document as a whole: what the API is and how to authenticate (also shown at the top of
/// <c>/scalar</c>), tags, the server without a trailing slash, the shared components (problem
/// schemas, headers, parameters, the hand-written schemas of <see cref="ApiSchemas"/>), and no
/// component that nothing refers to.
/// </summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string BearerSchemeId = "Bearer";

    /// <summary>Every tag an endpoint may use, with what it groups. An undescribed tag fails the document.</summary>
    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Metrics"] = "Dashboard tiles: a stored SQL query with its react-grid-layout positions. Read one to run its query with date filters; " +
            "create, change, delete and restore them; add records to them. Needs the `read` permission, or `write` to change anything.",
        ["Imports"] = "The JSON and CSV files metrics, queries and records are loaded from: what the last import did, item by item. Needs the `admin` permission.",
        ["Health"] = "Anonymous probes for load balancers and operators: is the process up, can it reach its database, should it get traffic.",
    };

    private const string Description = """
        Runs the stored SQL behind dashboard metrics on PostgreSQL, with date filters derived from the SQL itself, and returns
        the rows together with each metric's react-grid-layout positions.

        **Authentication.** Every `/metrics` and `/imports` operation needs a Cognito access token: `Authorization: Bearer <token>`.
        Running locally with `./run.sh`, get one with `./run.sh token` (it prints a token valid for an hour with every permission;
        `./run.sh token --scope api/metrics.read` gives a read-only one) and paste it into the **Bearer Token** field of the
        Authentication section on this page; it is then sent with every request you try here.

        **Errors.** Every answer that is not a success is an RFC 9457 problem document (`application/problem+json`) with `type`,
        `title`, `status`, `detail`, `instance` and `traceId`, and `errors` naming each field at fault when the input is invalid.
        Unknown query parameters and unknown body fields are refused (400), never ignored.
        """;

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MetricsEngine API",
            Version = "v1",
            Description = Description,
            License = new OpenApiLicense
            {
                // The repository has no open-source licence: the API is the company's own.
                Name = "Proprietary: all rights reserved",
                Identifier = "LicenseRef-MetricsEngine-Proprietary",
            },
        };

        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url is { Length: > 1 } url ? url.TrimEnd('/') : server.Url;
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = Tags.GetValueOrDefault(tag.Name ?? string.Empty)
                ?? throw new InvalidOperationException($"The tag '{tag.Name}' is not described: add it to ApiDocument.Tags.");
        }

        var components = document.Components ??= new OpenApiComponents();
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes[BearerSchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A Cognito access token (`token_use` = `access`) from an allowed app client. Locally: `./run.sh token`.",
        };

        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var header in new[] { ApiHeaders.ETag, ApiHeaders.CacheControl, ApiHeaders.Location, ApiHeaders.RetryAfter, ApiHeaders.WwwAuthenticate })
        {
            components.Headers[header.Name] = header.AsResponseHeader();
        }

        components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        foreach (var parameter in ApiParameters.All)
        {
            components.Parameters[ApiParameters.ComponentId(parameter)] = parameter;
        }

        foreach (var header in new[] { ApiHeaders.IfMatch, ApiHeaders.IfNoneMatch, ApiHeaders.IdempotencyKey, ApiHeaders.LastEventId })
        {
            components.Parameters[header.Name] = header.AsRequestHeader();
        }

        DescribeSchemas(document, components.Schemas ??= new Dictionary<string, IOpenApiSchema>());
        await RemoveUnusedComponentsAsync(document, cancellationToken);
    }

    private static void DescribeSchemas(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        foreach (var (id, json) in ApiSchemas.Replacements)
        {
            if (!schemas.TryGetValue(id, out var generated))
            {
                continue;
            }

            var replacement = Parse(json, document, id);
            var written = replacement.Properties?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];
            var actual = generated.Properties?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];
            if (!written.SequenceEqual(actual))
            {
                throw new InvalidOperationException(
                    $"The schema {id} in ApiSchemas names [{string.Join(", ", written)}] but the type has [{string.Join(", ", actual)}]: describe the change there.");
            }

            schemas[id] = replacement;
        }

        foreach (var ((id, property), json) in ApiSchemas.PropertyReplacements)
        {
            if (schemas.TryGetValue(id, out var owner) && owner is OpenApiSchema { Properties: { } properties } && properties.ContainsKey(property))
            {
                properties[property] = Parse(json, document, $"{id}.{property}");
            }
        }

        foreach (var (id, json) in ApiSchemas.Additions)
        {
            schemas[id] = Parse(json, document, id);
        }

        foreach (var (id, schema) in schemas)
        {
            if (schema is not OpenApiSchema concrete)
            {
                continue;
            }

            if (ApiSchemas.Descriptions.TryGetValue(id, out var description))
            {
                concrete.Description = description;
            }

            // Enums are written as snake_case strings.
            if (concrete.Enum is { Count: > 0 } && concrete.Type is null)
            {
                concrete.Type = JsonSchemaType.String;
            }
        }
    }

    private static IOpenApiSchema Parse(string json, OpenApiDocument document, string what)
    {
        // The reader reads a bare reference as nothing: build it directly.
        if (JsonNode.Parse(json) is JsonObject { Count: 1 } only && only["$ref"]?.GetValue<string>() is { } reference)
        {
            return new OpenApiSchemaReference(reference[(reference.LastIndexOf('/') + 1)..], document);
        }

        var schema = OpenApiModelFactory.Parse<OpenApiSchema>(json, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, "json");
        return schema is not null && diagnostic?.Errors is not { Count: > 0 }
            ? schema
            : throw new InvalidOperationException(
                $"The schema {what} in ApiSchemas does not read: {string.Join("; ", diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? [])}");
    }

    /// <summary>Components nothing refers to (types replaced by precise schemas, headers no operation sends) are left out.</summary>
    private static async Task RemoveUnusedComponentsAsync(OpenApiDocument document, CancellationToken cancellationToken)
    {
        var json = JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken))!.AsObject();
        var components = json["components"]?.AsObject();
        json.Remove("components");

        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<JsonNode?>([json]);
        while (pending.TryDequeue(out var node))
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith("#/components/", StringComparison.Ordinal) && used.Add(reference))
                        {
                            pending.Enqueue(components?[reference["#/components/".Length..].Split('/')[0]]?[reference.Split('/')[3]]);
                        }
                        else
                        {
                            pending.Enqueue(value);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        pending.Enqueue(item);
                    }

                    break;
            }
        }

        Prune(document.Components?.Schemas, "schemas");
        Prune(document.Components?.Parameters, "parameters");
        Prune(document.Components?.Headers, "headers");

        void Prune<T>(IDictionary<string, T>? items, string kind)
        {
            foreach (var id in items?.Keys.Where(id => !used.Contains($"#/components/{kind}/{id}")).ToList() ?? [])
            {
                items!.Remove(id);
            }
        }
    }
}
