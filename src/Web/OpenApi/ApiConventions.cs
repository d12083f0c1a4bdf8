using System.Globalization;
using System.Text.Json.Nodes;
using MetricsEngine.Web.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// Makes each operation's answers exact from what the endpoint is, so no endpoint has to list them:
/// an operation behind a permission answers 401 (with <c>WWW-Authenticate</c>) and 403; one under
/// the caller budget 429 (with <c>Retry-After</c>); one that refuses unknown query parameters, or
/// takes a JSON body, 400 (and 413, 415 for the body); one that uses the database 503 (with
/// <c>Retry-After</c>); every one 500. Every problem answer then gets the one shared problem schema
/// and its headers, every parameter its description from <see cref="ApiParameters"/>, and the
/// answers are listed in order of status.
/// </summary>
internal sealed class ApiConventions : IOpenApiOperationTransformer
{
    private static readonly Dictionary<int, string> DefaultDescriptions = new()
    {
        [200] = "Success.",
        [201] = "Created; `Location` names the new resource.",
        [204] = "Done; no body.",
        [304] = "Not modified since the entity tag sent in `If-None-Match`; no body.",
        [400] = "The request is invalid: `errors` names each field or parameter at fault (a malformed id, an unknown or repeated query parameter, a body that is not the expected JSON).",
        [401] = "No access token, or one the API does not accept (expired, another issuer or app client, an ID token, a bad signature); `WWW-Authenticate` says why.",
        [403] = "The token is valid but does not grant the permission this operation needs.",
        [404] = "There is no such resource.",
        [413] = "The body is larger than the API accepts (`Api__MaxRequestBodyBytes`, 1 MiB by default).",
        [415] = "The body is not sent as `application/json`.",
        [429] = "The caller has used up its request budget; retry after `Retry-After` seconds.",
        [500] = "An unexpected error (a bug); the body carries only the `traceId` to quote when reporting it.",
        [503] = "The database cannot be reached; retry after `Retry-After` seconds.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("The document is not available to operation transformers.");
        var name = operation.OperationId ?? context.Description.RelativePath ?? "an operation";
        var responses = operation.Responses ??= new OpenApiResponses();

        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocument.BearerSchemeId, document)] = [] }];
            Add(responses, 401);
            Add(responses, 403);
        }
        else
        {
            operation.Security = [];
        }

        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            Add(responses, 429);
        }

        if (metadata.OfType<AllowedQueryParameters>().Any())
        {
            Add(responses, 400);
        }

        if (operation.RequestBody is OpenApiRequestBody body)
        {
            RequireJsonBody(body);
            Add(responses, 400);
            Add(responses, 413);
            Add(responses, 415);
        }

        if (metadata.OfType<UsesDatabaseMetadata>().Any())
        {
            Add(responses, 503);
        }

        Add(responses, 500);

        DescribeParameters(operation, metadata, document, name);
        Normalise(operation, metadata, document, name);
        if (HttpMethods.IsHead(context.Description.HttpMethod ?? string.Empty))
        {
            DescribeAsHead(operation);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// HEAD is answered wherever GET is (<c>src/Web/Http/HeadRequests.cs</c>), by the same handler:
    /// an operation of its own with the GET's statuses and headers and never a body, named after
    /// the GET so operation ids stay unique.
    /// </summary>
    private static void DescribeAsHead(OpenApiOperation operation)
    {
        operation.OperationId = operation.OperationId is { } id ? "Head" + id : null;
        operation.Summary = operation.Summary is { } summary ? $"{summary} (HEAD: status and headers only)" : null;
        operation.Description = "The answer `GET` gives on this path, status and headers, without a body.";
        foreach (var response in operation.Responses?.Values.OfType<OpenApiResponse>() ?? [])
        {
            response.Content = null;
        }
    }

    private static void Add(OpenApiResponses responses, int status) =>
        responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse());

    /// <summary>A JSON body is required, and JSON <c>null</c> is not one (the API refuses both with 400).</summary>
    private static void RequireJsonBody(OpenApiRequestBody body)
    {
        body.Required = true;
        foreach (var media in body.Content?.Values ?? [])
        {
            if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } alternatives } && alternatives.Count(IsNull) == 1)
            {
                media.Schema = alternatives.Single(s => !IsNull(s));
            }
        }

        static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };
    }

    private static void DescribeParameters(OpenApiOperation operation, IList<object> metadata, OpenApiDocument document, string name)
    {
        var parameters = new List<IOpenApiParameter>();
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter.In is not { } location || parameter.Name is null || !ApiParameters.TryGet(location, parameter.Name, out var described))
            {
                throw new InvalidOperationException(
                    $"The {parameter.In} parameter '{parameter.Name}' of {name} is not described: add it to ApiParameters (src/Web/OpenApi/ApiParameters.cs).");
            }

            parameters.Add(new OpenApiParameterReference(ApiParameters.ComponentId(described), document));
        }

        parameters.AddRange(metadata.OfType<ReadsRequestHeader>()
            .Select(h => new OpenApiParameterReference(h.Header.Name, document)));
        operation.Parameters = parameters.Count == 0 ? null : parameters;
    }

    private static void Normalise(OpenApiOperation operation, IList<object> metadata, OpenApiDocument document, string name)
    {
        var descriptions = metadata.OfType<AnswerDescription>().GroupBy(d => d.Status).ToDictionary(g => g.Key, g => g.Last().Description);
        var problemSchemas = metadata.OfType<AnswerProblemSchema>().GroupBy(d => d.Status).ToDictionary(g => g.Key, g => g.Last().SchemaId);
        var headers = metadata.OfType<AnswerHeader>().ToLookup(h => h.Status, h => h.Header);

        var ordered = new OpenApiResponses();
        foreach (var (key, generated) in operation.Responses!.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var status = int.Parse(key, CultureInfo.InvariantCulture);
            var response = new OpenApiResponse
            {
                Description = descriptions.GetValueOrDefault(status)
                    ?? DefaultDescriptions.GetValueOrDefault(status)
                    ?? throw new InvalidOperationException($"{name} answers {status} without saying when: add .Answers({status}, \"...\") to the endpoint."),
                Content = status >= 400
                    ? ProblemContent(
                        problemSchemas.GetValueOrDefault(status) ?? (status == 400 ? ApiSchemas.ValidationProblemDetails : ApiSchemas.ProblemDetails),
                        generated.Content?.Values.Select(m => m.Example).FirstOrDefault(e => e is not null),
                        document)
                    : generated.Content,
            };

            var sent = ConventionalHeaders(status).Concat(headers[status]).DistinctBy(h => h.Name).ToList();
            if (sent.Count > 0)
            {
                response.Headers = sent.ToDictionary(h => h.Name, IOpenApiHeader (h) => new OpenApiHeaderReference(h.Name, document));
            }

            ordered[key] = response;
        }

        foreach (var status in descriptions.Keys.Where(s => !ordered.ContainsKey(s.ToString(CultureInfo.InvariantCulture))))
        {
            throw new InvalidOperationException($"{name} describes an answer {status} that its handler never gives (no result type or Produces for it).");
        }

        operation.Responses = ordered;
    }

    private static IEnumerable<ApiHeader> ConventionalHeaders(int status) => status switch
    {
        201 => [ApiHeaders.Location],
        401 => [ApiHeaders.WwwAuthenticate],
        429 or 503 => [ApiHeaders.RetryAfter],
        _ => [],
    };

    private static Dictionary<string, OpenApiMediaType> ProblemContent(string schemaId, JsonNode? example, OpenApiDocument document) => new()
    {
        ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schemaId, document), Example = example },
    };
}
