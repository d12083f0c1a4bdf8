using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Http;

/// <summary>A value's JSON bytes and a strong entity tag of those bytes.</summary>
internal sealed record JsonRendering(byte[] Bytes, string ETag);

/// <summary>
/// Renders answers to JSON with the API's serializer options. An answer the cache hands out as
/// the same instance while it is fresh is rendered once and its bytes reused; the rendering lives
/// exactly as long as the answer object does, so the cache's invalidation and size limit govern it.
/// </summary>
internal sealed class JsonRenderings
{
    private readonly JsonSerializerOptions _options;
    private readonly ConditionalWeakTable<object, JsonRendering> _shared = [];
    private readonly ConditionalWeakTable<object, JsonRendering>.CreateValueCallback _render;

    public JsonRenderings(IOptions<JsonOptions> options)
    {
        _options = options.Value.SerializerOptions;
        _render = value => Render(value);
    }

    /// <param name="value">The answer to render.</param>
    /// <param name="shared">The same instance is served to others: keep its rendering with it.</param>
    public JsonRendering Of(object value, bool shared) => shared ? _shared.GetValue(value, _render) : Render(value);

    private JsonRendering Render(object value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), _options);
        var hash = Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_');
        return new JsonRendering(bytes, $"\"{hash}\"");
    }
}
