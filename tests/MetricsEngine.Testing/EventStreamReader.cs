using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MetricsEngine.Testing;

/// <summary>One Server-Sent Event as a client sees it.</summary>
public sealed record ServerSentEvent(string Event, string? Id, string Data)
{
    public JsonNode Json => JsonNode.Parse(Data) ?? throw new InvalidOperationException("The event's data is JSON null.");
}

/// <summary>
/// Reads a text/event-stream response as the WHATWG rules say (the dashboard's parser follows the
/// same rules): events, comments and retry hints, waiting at most a generous timeout for each.
/// </summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _closed = new();
    private Task<string?>? _pendingLine;
    private bool _disposed;

    private EventStreamReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    public List<string> Comments { get; } = [];

    public int? Retry { get; private set; }

    /// <summary>Opens a stream; the response is returned as is when it is not 200 (<see cref="Response"/>).</summary>
    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(Patience);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return new EventStreamReader(response, await response.Content.ReadAsStreamAsync(timeout.Token));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<ServerSentEvent?> NextAsync(TimeSpan? patience = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
        timeout.CancelAfter(patience ?? Patience);
        string? name = null, id = null;
        var data = new List<string>();
        while (true)
        {
            _pendingLine ??= _reader.ReadLineAsync(_closed.Token).AsTask();
            string? line;
            try
            {
                line = await _pendingLine.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No event within {(patience ?? Patience).TotalSeconds} s.");
            }

            _pendingLine = null;
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new ServerSentEvent(name ?? "message", id, string.Join('\n', data));
                }

                name = null;
                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line[1..].TrimStart());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": name = value; break;
                case "data": data.Add(value); break;
                case "id": id = value; break;
                case "retry": Retry = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }
    }

    /// <summary>Events until one matches, skipping the rest; fails when the stream ends first.</summary>
    public async Task<ServerSentEvent> NextMatchingAsync(Func<ServerSentEvent, bool> match)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var next = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1))
                ?? throw new InvalidOperationException("The stream ended before the expected event.");
            if (match(next))
            {
                return next;
            }
        }
    }

    /// <summary>The server ends the stream within the patience (after any events, which are returned).</summary>
    public async Task<List<ServerSentEvent>> EndAsync()
    {
        var events = new List<ServerSentEvent>();
        while (await NextAsync() is { } next)
        {
            events.Add(next);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _closed.CancelAsync();
        _reader.Dispose();
        _response.Dispose();
        _closed.Dispose();
    }
}
