using System.Security.Cryptography;
using System.Text.Json;
using MetricsEngine.Application.Metrics.GetMetric;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Http;

/// <summary>A value's JSON bytes and a strong entity tag of those bytes.</summary>
internal sealed record JsonRendering(byte[] Bytes, string ETag);

/// <summary>
/// Renders metric answers to JSON with the API's serializer options. It keeps nothing itself: the
/// rendering is the form the edge derives from an answer and keeps in it
/// (<see cref="MetricAnswer.Derive{TForm}"/>), so an answer the cache holds is rendered once and its
/// rendering goes when the cache's invalidation or size limit drops the entry, while an answer built
/// for one request (caching off) is rendered for that request.
/// </summary>
internal sealed class JsonRenderings
{
    private readonly JsonSerializerOptions _options;

    // One delegate for every call, so a cached answer's hot path allocates nothing to reach its rendering.
    private readonly Func<MetricView, JsonRendering> _render;

    public JsonRenderings(IOptions<JsonOptions> options)
    {
        _options = options.Value.SerializerOptions;
        _render = Render;
    }

    /// <summary>The answer's JSON and entity tag: rendered on first use, then the one the answer keeps.</summary>
    public JsonRendering Of(MetricAnswer answer) => answer.Derive(_render);

    private JsonRendering Render(MetricView view)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(view, _options);
        var hash = Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_');
        return new JsonRendering(bytes, $"\"{hash}\"");
    }
}
