using System.Text.Json.Nodes;
using MetricsEngine.Web.Http;
using Microsoft.OpenApi;

namespace MetricsEngine.Web.OpenApi;

/// <summary>
/// One HTTP header the API reads or sends, described once: it becomes a component of the
/// document (<c>#/components/headers/{Name}</c> for response headers,
/// <c>#/components/parameters/{Name}</c> for request headers) and every operation refers to it.
/// </summary>
public sealed record ApiHeader(string Name, string Description, JsonSchemaType Type, string? Pattern = null, string? Format = null, int? Minimum = null, string? Example = null)
{
    internal OpenApiSchema Schema() => new()
    {
        Type = Type,
        Pattern = Pattern,
        Format = Format,
        Minimum = Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    internal OpenApiHeader AsResponseHeader() => new()
    {
        Description = Description,
        Required = true,
        Schema = Schema(),
        Example = Example is null ? null : Type == JsonSchemaType.Integer ? JsonValue.Create(int.Parse(Example, System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(Example),
    };

    internal OpenApiParameter AsRequestHeader() => new()
    {
        Name = Name,
        In = ParameterLocation.Header,
        Description = Description,
        Required = false,
        Schema = Schema(),
        Example = Example is null ? null : JsonValue.Create(Example),
    };
}

/// <summary>Every header the API reads or sends. Add a header here before an endpoint declares it.</summary>
public static class ApiHeaders
{
    public static readonly ApiHeader ETag = new(
        "ETag",
        "A strong entity tag of what was answered. Send it back in `If-None-Match` to get 304 while it is unchanged, " +
        "or (for a definition) in `If-Match` to update only the version you read.",
        JsonSchemaType.String, Pattern: "^\"[^\"]*\"$", Example: "\"3\"");

    public static readonly ApiHeader CacheControl = new(
        "Cache-Control",
        "`private, no-cache`: keep the answer for this caller only (it depends on the token) and revalidate it before reuse " +
        "with `If-None-Match` (a cheap 304 while it is unchanged); the server hears every change at once, so it never hands out a TTL.",
        JsonSchemaType.String, Pattern: "^private, no-cache$", Example: "private, no-cache");

    public static readonly ApiHeader Location = new(
        "Location",
        "The path of the resource just created.",
        JsonSchemaType.String, Format: "uri-reference", Example: "/metrics/0193a0b4-7c1e-7d2a-9f3b-5e6d7c8b9a01");

    public static readonly ApiHeader RetryAfter = new(
        "Retry-After",
        "Seconds to wait before trying again.",
        JsonSchemaType.Integer, Minimum: 1, Example: "5");

    public static readonly ApiHeader WwwAuthenticate = new(
        "WWW-Authenticate",
        "The Bearer challenge (RFC 6750), with `error` and `error_description` when a token was sent but refused.",
        JsonSchemaType.String, Pattern: "^Bearer", Example: "Bearer error=\"invalid_token\", error_description=\"The token expired at '11/25/2026 04:40:00'\"");

    public static readonly ApiHeader IfMatch = new(
        "If-Match",
        "Change the metric only if its current version is one of these entity tags (the `ETag` of its definition); " +
        "412 otherwise. `*` matches any version.",
        JsonSchemaType.String, Example: "\"3\"");

    public static readonly ApiHeader IdempotencyKey = new(
        IdempotencyKeyHeader.Name,
        $"A key you choose for this one operation (a UUID, say): 1 to {IdempotencyKeyHeader.MaxLength} visible ASCII characters, bare or quoted. " +
        "Sending the same key and body again within 24 hours returns the first answer and stores nothing twice; " +
        "the same key with another body is refused with 422. A malformed key is 400.",
        JsonSchemaType.String, Pattern: $"^([!-~]{{1,{IdempotencyKeyHeader.MaxLength}}}|\"[!-~]{{1,{IdempotencyKeyHeader.MaxLength}}}\")$", Example: "5f0c2a9e-8d1b-4c3e-9a7f-2b6d4e8c1a05");

    public static readonly ApiHeader IfNoneMatch = new(
        "If-None-Match",
        "Answer 304 without a body when the current entity tag is one of these (the `ETag` of an earlier answer).",
        JsonSchemaType.String, Example: "\"3\"");

    public static readonly ApiHeader LastEventId = new(
        "Last-Event-ID",
        "On reconnection, the `id` of the last event received (an answer's ETag without quotes): a metric whose answer still has it is not sent again.",
        JsonSchemaType.String, Example: "k3F0Yc1b2xX9aQ7e");
}
