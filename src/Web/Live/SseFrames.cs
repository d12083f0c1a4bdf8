using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Errors;

namespace MetricsEngine.Web.Live;

internal enum FrameKind
{
    Metric,
    Deleted,
    Error,
    Heartbeat,
}

/// <summary>
/// One text/event-stream event, rendered once and written as is to every stream that carries its
/// metric. Data is single-line JSON (the serializer never writes a raw line break), so one
/// <c>data:</c> line holds it whole.
/// </summary>
internal sealed record Frame(FrameKind Kind, Guid MetricId, string? ETag, ReadOnlyMemory<byte> Bytes)
{
    public static Frame Heartbeat { get; } = new(FrameKind.Heartbeat, Guid.Empty, null, Encoding.UTF8.GetBytes(":\n\n"));

    /// <summary><c>event: metric</c> with the answer's ETag (without quotes) as its id and exactly the GET answer as data.</summary>
    public static Frame Metric(Guid metricId, string etag, byte[] json)
    {
        var head = Encoding.UTF8.GetBytes($"event: metric\nid: {etag.Trim('"')}\ndata: ");
        var bytes = new byte[head.Length + json.Length + 2];
        head.CopyTo(bytes, 0);
        json.CopyTo(bytes, head.Length);
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return new Frame(FrameKind.Metric, metricId, etag, bytes);
    }

    public static Frame Deleted(Guid metricId) =>
        new(FrameKind.Deleted, metricId, null, Event("deleted", new JsonObject { ["id"] = metricId.ToString() }));

    /// <summary><c>event: error</c>: the problem document GET would have answered, naming its metric.</summary>
    public static Frame Error(Guid metricId, Exception exception)
    {
        var (status, title, detail) = exception is MetricsEngineException known
            ? (ProblemExceptionHandler.StatusFor(known.Kind), known.Title, ProblemExceptionHandler.DetailFor(known))
            : (StatusCodes.Status500InternalServerError, "Unexpected error", "The server could not recompute this metric; it will try again on the next change.");
        var problem = new JsonObject
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = $"/metrics/{metricId}",
            ["metric_id"] = metricId.ToString(),
        };
        if ((exception as MetricsEngineException)?.RetryAfter is { } retry)
        {
            problem["retry_after_seconds"] = (int)Math.Ceiling(retry.TotalSeconds);
        }

        return new Frame(FrameKind.Error, metricId, null, Event("error", problem));
    }

    /// <summary>The stream ends because the token does: the client should come back with a new one.</summary>
    public static byte[] Reauthenticate() => Event("reauthenticate", new JsonObject
    {
        ["detail"] = "The access token expired: reconnect with a new token.",
    });

    public static byte[] Retry(int milliseconds) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {milliseconds}\n\n"));

    private static byte[] Event(string name, JsonObject data) =>
        Encoding.UTF8.GetBytes($"event: {name}\ndata: {data.ToJsonString(JsonOptions)}\n\n");

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
}
