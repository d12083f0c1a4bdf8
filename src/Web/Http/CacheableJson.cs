using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Http;

/// <summary>
/// A JSON answer a browser or dashboard may reuse: serialised once, with a strong ETag of its
/// bytes (so equal answers have equal tags whatever produced them), 304 when If-None-Match holds
/// it, and <c>Cache-Control: private, max-age</c> set to what remains of the server's own TTL.
/// </summary>
internal sealed class CacheableJson<T>(T value, DateTimeOffset freshUntil) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, json);
        var tag = $"\"{Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_')}\"";

        var remaining = (int)Math.Floor((freshUntil - services.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds);
        var response = httpContext.Response;
        response.Headers.ETag = tag;
        response.Headers.CacheControl = remaining > 0
            ? $"private, max-age={remaining.ToString(CultureInfo.InvariantCulture)}"
            : "private, no-cache";

        if (EntityTags.IsNotModified(httpContext.Request, tag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
