using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace MetricsEngine.Testing;

/// <summary>Every log event the API wrote, with its scope values as properties, for assertions.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public void Clear() => _events.Clear();

    /// <summary>Events whose message template is exactly <paramref name="template"/>.</summary>
    public IReadOnlyList<LogEvent> WithTemplate(string template) =>
        [.. _events.Where(e => e.MessageTemplate.Text == template)];

    /// <summary>Every rendered message and property value, for "this never appears in any log" checks.</summary>
    public string AllText() => string.Join('\n', _events.Select(e =>
        e.RenderMessage() + " " + string.Join(' ', e.Properties.Select(p => $"{p.Key}={p.Value}")) + " " + e.Exception));

    public static string? Scalar(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: var raw } ? raw?.ToString() : null;
}
