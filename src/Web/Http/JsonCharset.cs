using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace MetricsEngine.Web.Http;

/// <summary>
/// JSON is UTF-8 (RFC 8259): a body that declares another charset, or one nobody knows
/// (<c>charset=bogus</c>), is refused with 415 before anything tries to decode it. Only where the
/// endpoint reads a JSON body (the operations whose documented answers include 415): elsewhere a
/// body is never read, so what it declares does not matter. Runs after authorization, where the
/// framework refuses a body of another media type with 415 too.
/// </summary>
internal sealed class JsonCharset(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is not null
            && context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null
            && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.Charset is { HasValue: true } charset
            && !IsUtf8(charset.Value))
        {
            throw new BadHttpRequestException(
                $"The body declares charset '{charset.Value}': send JSON as UTF-8 ('Content-Type: application/json' or 'application/json; charset=utf-8').",
                StatusCodes.Status415UnsupportedMediaType);
        }

        return next(context);
    }

    // What the JSON reader decodes: "utf-8" as such ("utf8" is no registered name, and a quoted
    // value is not unquoted before the lookup).
    private static bool IsUtf8(string? charset) => string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase);
}
