using System.Globalization;
using System.Reflection;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Web.OpenApi;
using Microsoft.AspNetCore.Http.Metadata;

namespace MetricsEngine.Web.Http;

/// <summary>
/// A JSON answer a browser or dashboard may reuse: a strong ETag of its bytes (so equal answers
/// have equal tags whatever produced them), 304 when If-None-Match holds it, and
/// <c>Cache-Control: private, max-age</c> set to what remains of the server's own TTL. While that
/// TTL runs the value is a shared cached instance, rendered once (<see cref="JsonRenderings"/>).
/// </summary>
internal sealed class CacheableJson<T>(T value, DateTimeOffset freshUntil) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
    where T : class
{
    public int? StatusCode => StatusCodes.Status200OK;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
        foreach (var status in new[] { StatusCodes.Status200OK, StatusCodes.Status304NotModified })
        {
            builder.Metadata.Add(new AnswerHeader(status, ApiHeaders.ETag));
            builder.Metadata.Add(new AnswerHeader(status, ApiHeaders.CacheControl));
        }
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var remaining = (int)Math.Floor((freshUntil - services.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds);
        var rendering = services.GetRequiredService<JsonRenderings>().Of(value, shared: remaining > 0);

        var response = httpContext.Response;
        response.Headers.ETag = rendering.ETag;
        response.Headers.CacheControl = remaining > 0
            ? $"private, max-age={remaining.ToString(CultureInfo.InvariantCulture)}"
            : "private, no-cache";

        if (EntityTags.IsNotModified(httpContext.Request, rendering.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        EngineMetrics.AnswerSize.Record(rendering.Bytes.Length);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = rendering.Bytes.Length;
        return response.Body.WriteAsync(rendering.Bytes, httpContext.RequestAborted).AsTask();
    }
}
