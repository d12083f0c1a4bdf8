using MetricsEngine.Web.Logging;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.UnitTests.Logging;

public sealed class CachedLoggersTests
{
    [Test]
    public void A_category_asked_for_again_gets_the_logger_made_the_first_time()
    {
        var inner = new CountingFactory();
        using var loggers = new CachedLoggers(inner);

        var first = loggers.CreateLogger("MetricsEngine.A");
        loggers.CreateLogger("MetricsEngine.A").ShouldBeSameAs(first);
        loggers.CreateLogger("MetricsEngine.B").ShouldNotBeSameAs(first);

        inner.Created.ShouldBe(2);
    }

    [Test]
    public void Disposing_it_disposes_the_factory_it_wraps_which_flushes_the_log()
    {
        var inner = new CountingFactory();

        new CachedLoggers(inner).Dispose();

        inner.Disposed.ShouldBeTrue();
    }

    private sealed class CountingFactory : ILoggerFactory
    {
        public int Created { get; private set; }

        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName)
        {
            Created++;
            return new Silent();
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose() => Disposed = true;
    }

    private sealed class Silent : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
