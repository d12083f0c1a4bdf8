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

    // Made once: a method group passed to GetOrAdd would be a new delegate on every call.
    private readonly Func<string, ILogger> _create = inner.CreateLogger;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, _create);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
