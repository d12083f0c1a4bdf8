using System.Reflection;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Web.OpenApi;
using Microsoft.AspNetCore.Http.Metadata;

namespace MetricsEngine.Web.Http;

/// <summary>
/// A metric's answer as JSON a browser or dashboard revalidates: a strong ETag of its bytes (so
/// equal answers have equal tags whatever produced them, the same tag the live stream sends as its
/// event id), 304 when If-None-Match holds it, and <c>Cache-Control: private, no-cache</c>: every
/// instance hears every change at once (docs/adr/change-feed.md), so the server knows when an
/// answer is stale and a client must not keep one for a TTL; revalidating costs a cheap 304. The
/// bytes are rendered once per cache entry and kept in the answer (<see cref="JsonRenderings"/>).
/// </summary>
internal sealed class CacheableJson(MetricAnswer answer) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(MetricView), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
        foreach (var status in new[] { StatusCodes.Status200OK, StatusCodes.Status304NotModified })
        {
            builder.Metadata.Add(new AnswerHeader(status, ApiHeaders.ETag));
            builder.Metadata.Add(new AnswerHeader(status, ApiHeaders.CacheControl));
        }
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var rendering = httpContext.RequestServices.GetRequiredService<JsonRenderings>().Of(answer);

        var response = httpContext.Response;
        response.Headers.ETag = rendering.ETag;
        response.Headers.CacheControl = "private, no-cache";

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
