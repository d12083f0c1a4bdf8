using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Web.Http;

/// <summary>
/// The <c>Idempotency-Key</c> request header: a key the client chooses for one operation (a UUID,
/// say), so that sending the operation again after a lost answer is safe. 1 to 255 visible ASCII
/// characters, bare or as a quoted string.
/// </summary>
internal static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const int MaxLength = 255;

    public static string? From(HttpRequest request)
    {
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is { Length: >= 2 } && key[0] == '"' && key[^1] == '"')
        {
            key = key[1..^1];
        }

        return key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= '!' and <= '~')
            ? key
            : throw new RequestValidationException(Name, $"Send one {Name} of 1 to {MaxLength} visible ASCII characters, such as a UUID.");
    }
}
