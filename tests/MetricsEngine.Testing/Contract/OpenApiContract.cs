using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Pointer;
using Json.Schema;

namespace MetricsEngine.Testing.Contract;

/// <summary>One request the API answered, as the contract check needs it. The response body is null when it was not read (an event stream).</summary>
public sealed record Exchange(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? RequestMediaType,
    byte[]? RequestBody,
    int Status,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    string? ResponseMediaType,
    byte[]? ResponseBody)
{
    public override string ToString() =>
        $"{Method} {Path}{(Query.Count == 0 ? string.Empty : "?" + string.Join("&", Query.Select(q => $"{q.Key}={q.Value}")))} answered {Status}";
}

/// <summary>
/// The served OpenAPI document as a checker of answers: which operation a request was, whether its
/// status is one the operation lists, whether the answer carries the headers and the media type
/// listed for it, and whether its body validates against the listed schema (JSON Schema 2020-12,
/// formats included, with JsonSchema.Net; see docs/adr/openapi-contract.md). A request the API
/// accepted (2xx) must also be valid against the document's parameters and request body, so
/// the document never asks more of a client than the API does.
/// </summary>
public sealed partial class OpenApiContract
{
    private static readonly Uri DocumentUri = new("https://contract.metricsengine.test/openapi.json");
    private static readonly ConcurrentDictionary<string, OpenApiContract> Parsed = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private readonly JsonElement _document;
    private readonly List<(Regex Pattern, string Template, int Literals)> _paths;
    private readonly BuildOptions _build;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private int _builds;
    private readonly Lock _building = new();

    private OpenApiContract(string json)
    {
        _document = JsonDocument.Parse(json).RootElement.Clone();
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(_document, DocumentUri));
        _build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };

        // A literal segment beats a parameter: /metrics/events before /metrics/{id}.
        _paths = [.. _document.GetProperty("paths").EnumerateObject()
            .Select(p => (Pattern: TemplateRegex(p.Name), Template: p.Name, Literals: p.Name.Split('/').Count(s => !s.StartsWith('{'))))
            .OrderByDescending(p => p.Literals)];
    }

    /// <summary>The contract of a document's text; documents with the same text share one.</summary>
    public static OpenApiContract For(string documentJson) => Parsed.GetOrAdd(documentJson, json => new OpenApiContract(json));

    public JsonElement Document => _document;

    /// <summary>The documented operation a request is, or null (static files, the document itself, unknown routes).</summary>
    public string? OperationOf(string method, string path) => FindOperation(method, path)?.Pointer;

    /// <summary>Every way the answer departs from the document; empty when it conforms or the request is no documented operation.</summary>
    public IReadOnlyList<string> Check(Exchange exchange)
    {
        var operation = FindOperation(exchange.Method, exchange.Path);
        if (operation is null)
        {
            return [];
        }

        var violations = new List<string>();
        var (pointer, element, pathValues) = operation.Value;
        var responses = element.GetProperty("responses");
        var status = exchange.Status.ToString(CultureInfo.InvariantCulture);
        var responseKey = new[] { status, $"{status[0]}XX", "default" }.FirstOrDefault(k => responses.TryGetProperty(k, out _));
        if (responseKey is null)
        {
            violations.Add($"status {status} is not documented for this operation (it lists {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))})");
            return violations;
        }

        var responsePointer = $"{pointer}/responses/{Escape(responseKey)}";
        var response = Resolve(responses.GetProperty(responseKey), ref responsePointer);
        CheckHeaders(response, responsePointer, exchange, violations);
        CheckContent(response, responsePointer, exchange, violations);

        if (exchange.Status is >= 200 and < 300)
        {
            CheckRequest(element, pointer, pathValues, exchange, violations);
        }

        return violations;
    }

    /// <summary>Whether the document accepts <paramref name="json"/> as the body of an operation (empty when it does).</summary>
    public IReadOnlyList<string> CheckRequestBody(string method, string path, string json)
    {
        var operation = FindOperation(method, path) ?? throw new ArgumentException($"{method} {path} is not a documented operation.", nameof(path));
        var exchange = new Exchange(method, path, [], "application/json", Encoding.UTF8.GetBytes(json), 200, new Dictionary<string, string>(), null, null);
        var violations = new List<string>();
        CheckRequest(operation.Element, operation.Pointer, operation.PathValues, exchange, violations);
        return violations;
    }

    private (string Pointer, JsonElement Element, Dictionary<string, string> PathValues)? FindOperation(string method, string path)
    {
        var lower = method.ToLowerInvariant();
        foreach (var (pattern, template, _) in _paths)
        {
            var match = pattern.Match(path);
            if (!match.Success)
            {
                continue;
            }

            if (!_document.GetProperty("paths").GetProperty(template).TryGetProperty(lower, out var operation))
            {
                return null;
            }

            var values = pattern.GetGroupNames().Where(g => !int.TryParse(g, out _))
                .ToDictionary(g => g, g => Uri.UnescapeDataString(match.Groups[g].Value), StringComparer.Ordinal);
            return ($"/paths/{Escape(template)}/{lower}", operation, values);
        }

        return null;
    }

    private void CheckHeaders(JsonElement response, string pointer, Exchange exchange, List<string> violations)
    {
        if (!response.TryGetProperty("headers", out var headers))
        {
            return;
        }

        foreach (var declared in headers.EnumerateObject())
        {
            var headerPointer = $"{pointer}/headers/{Escape(declared.Name)}";
            var header = Resolve(declared.Value, ref headerPointer);
            var required = header.TryGetProperty("required", out var r) && r.GetBoolean();
            if (!exchange.ResponseHeaders.TryGetValue(declared.Name, out var value))
            {
                if (required)
                {
                    violations.Add($"the required header {declared.Name} is missing");
                }

                continue;
            }

            if (header.TryGetProperty("schema", out var schema))
            {
                var isInteger = schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "integer";
                var instance = HeaderValue(value, isInteger);
                foreach (var problem in Evaluate($"{headerPointer}/schema", instance))
                {
                    violations.Add($"header {declared.Name}: {value}: {problem}");
                }
            }
        }
    }

    private void CheckContent(JsonElement response, string pointer, Exchange exchange, List<string> violations)
    {
        // A HEAD answer has the GET's headers and never a body.
        if (exchange.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var hasContent = response.TryGetProperty("content", out var content) && content.EnumerateObject().Any();
        if (!hasContent)
        {
            if (exchange.ResponseBody is { Length: > 0 } body)
            {
                violations.Add($"a body ({body.Length} bytes, {exchange.ResponseMediaType ?? "no media type"}) where the document declares none");
            }

            return;
        }

        var mediaType = exchange.ResponseMediaType;
        if (mediaType is null || !content.TryGetProperty(mediaType, out _))
        {
            violations.Add($"media type {mediaType ?? "(none)"} where the document lists {string.Join(", ", content.EnumerateObject().Select(m => m.Name))}");
            return;
        }

        // Event streams are checked for their media type only; their events have no schema here.
        if (exchange.ResponseBody is null || !IsJson(mediaType))
        {
            return;
        }

        if (!TryParse(exchange.ResponseBody, out var instance, out var error))
        {
            violations.Add($"the body is not JSON: {error}");
            return;
        }

        var mediaPointer = $"{pointer}/content/{Escape(mediaType)}";
        if (content.GetProperty(mediaType).TryGetProperty("schema", out _))
        {
            violations.AddRange(Evaluate($"{mediaPointer}/schema", instance).Select(p => $"body: {p}"));
        }
    }

    private void CheckRequest(JsonElement operation, string pointer, Dictionary<string, string> pathValues, Exchange exchange, List<string> violations)
    {
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            var index = 0;
            foreach (var item in parameters.EnumerateArray())
            {
                var parameterPointer = $"{pointer}/parameters/{index++}";
                var parameter = Resolve(item, ref parameterPointer);
                var name = parameter.GetProperty("name").GetString()!;
                var value = parameter.GetProperty("in").GetString() switch
                {
                    "path" => pathValues.GetValueOrDefault(name),
                    "query" => exchange.Query.Where(q => q.Key == name).Select(q => q.Value).FirstOrDefault(),
                    _ => null,
                };
                if (value is null || !parameter.TryGetProperty("schema", out var schema))
                {
                    continue;
                }

                var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                // A list (form style, exploded: ?id=a&id=b) is every value given under its name.
                var instance = type == "array"
                    ? JsonSerializer.SerializeToElement(exchange.Query.Where(q => q.Key == name).Select(q => q.Value).ToArray())
                    : HeaderValue(value, type == "integer");
                foreach (var problem in Evaluate($"{parameterPointer}/schema", instance))
                {
                    violations.Add($"the API accepted parameter {name}={value}, which the document refuses: {problem}");
                }
            }
        }

        if (exchange.RequestBody is { Length: > 0 } body && exchange.RequestMediaType is { } mediaType
            && operation.TryGetProperty("requestBody", out var requestBody))
        {
            var bodyPointer = $"{pointer}/requestBody";
            requestBody = Resolve(requestBody, ref bodyPointer);
            if (!requestBody.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType, out var media))
            {
                violations.Add($"the API accepted a {mediaType} body, which the document does not list");
            }
            else if (IsJson(mediaType) && media.TryGetProperty("schema", out _) && TryParse(body, out var instance, out _))
            {
                violations.AddRange(Evaluate($"{bodyPointer}/content/{Escape(mediaType)}/schema", instance)
                    .Select(p => $"the API accepted a request body the document refuses: {p}"));
            }
        }
    }

    /// <summary>A component reference is followed, and the pointer follows it too.</summary>
    private JsonElement Resolve(JsonElement element, ref string pointer)
    {
        while (element.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target && target.StartsWith("#/", StringComparison.Ordinal))
        {
            pointer = target[1..];
            element = JsonPointer.Parse(pointer).Evaluate(_document) ?? throw new InvalidOperationException($"The document's reference {target} leads nowhere.");
        }

        return element;
    }

    private IEnumerable<string> Evaluate(string pointer, JsonElement instance)
    {
        var schema = _schemas.GetOrAdd(pointer, p =>
        {
            lock (_building)
            {
                var fragment = p.Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal).Replace("+", "%2B", StringComparison.Ordinal);
                var wrapper = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = $"{DocumentUri}#{fragment}" });
                // Each build registers its base URI, once only. The count of finished entries would
                // repeat when a thread builds before another's result is stored: number every build.
                return JsonSchema.Build(wrapper, _build, new Uri(DocumentUri, $"check/{++_builds}"));
            }
        });
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        var problems = Flatten(results)
            .Where(r => r.Errors is { Count: > 0 })
            .SelectMany(r => r.Errors!.Select(e => $"at {(r.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")} ({e.Key}): {e.Value}"))
            .Distinct()
            .ToList();
        return problems.Count == 0 ? ["does not validate against the schema"] : problems.Take(12);
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults results) =>
        new[] { results }.Concat(results.Details?.SelectMany(Flatten) ?? []);

    private static JsonElement HeaderValue(string value, bool integer) =>
        integer && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? JsonSerializer.SerializeToElement(number)
            : JsonSerializer.SerializeToElement(value);

    private static bool TryParse(byte[] body, out JsonElement instance, out string? error)
    {
        try
        {
            instance = JsonDocument.Parse(body).RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            instance = default;
            error = e.Message;
            return false;
        }
    }

    private static bool IsJson(string mediaType) =>
        mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static Regex TemplateRegex(string template)
    {
        var pattern = new StringBuilder("^");
        foreach (var part in TemplatePart().Split(template))
        {
            pattern.Append(part.StartsWith('{') && part.EndsWith('}')
                ? $"(?<{Regex.Replace(part[1..^1], "[^A-Za-z0-9_]", "_")}>[^/]+)"
                : Regex.Escape(part));
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"(\{[^}]+\})")]
    private static partial Regex TemplatePart();
}
