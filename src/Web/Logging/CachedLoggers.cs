using System.Collections.Concurrent;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// One logger per category, made once. Serilog's logger factory makes a new logger (with its own
/// event-id cache, a concurrent dictionary) on every <see cref="CreateLogger"/>, and the framework
/// asks on every request: the authentication handler is built per request and asks the factory for
/// its logger in its constructor: a few per cent of what a cached GET allocated (docs/adr/logging.md).
/// Owns the factory it wraps: disposing this disposes it, which flushes the log.
/// </summary>
internal sealed class CachedLoggers(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.TryGetValue(categoryName, out var logger) ? logger : _loggers.GetOrAdd(categoryName, inner.CreateLogger);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
