using Serilog;
using Serilog.Formatting.Display;

namespace MetricsEngine.Web.Logging;

internal static class LoggingSetup
{
    public const string FormatSetting = "Logging:Format";
    public const string BufferSetting = "Logging:BufferSize";
    public const int DefaultBufferSize = 10_000;

    /// <summary>
    /// Console logging that never makes a request wait: events are queued in a bounded buffer and
    /// written by a background thread through one buffered stdout writer, as compact JSON (<see cref="ClefLines"/>) (<see cref="BufferedConsoleSink"/>);
    /// when the buffer is full an event is dropped and counted
    /// (<see cref="LogBuffer"/>) rather than blocking the request that logged it. <c>Logging:Format</c>
    /// picks JSON lines (the default outside Development, for log shippers) or readable text (the
    /// default in Development). Levels come from the <c>Serilog</c> configuration section. Verbs
    /// write synchronously to stderr, so that what they print on stdout (a token, a report) can be
    /// piped and nothing is lost when they exit.
    /// </summary>
    public static void AddMetricsEngineLogging(this WebApplicationBuilder builder, bool forVerb)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            // Read as the logger is built, so the configuration in effect decides (a test host's included).
            var format = Format(builder.Configuration[FormatSetting], services.GetRequiredService<IHostEnvironment>());
            var bufferSize = builder.Configuration.GetValue(BufferSetting, DefaultBufferSize);
            if (bufferSize < 1)
            {
                throw new InvalidOperationException($"Logging__BufferSize must be at least 1 (default {DefaultBufferSize}), not {bufferSize}.");
            }

            // No Enrich.FromLogContext(): nothing pushes properties onto Serilog's LogContext (scopes
            // come through Microsoft.Extensions.Logging), and its lookup cost every event.
            logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services);
            if (forVerb)
            {
                logger.MinimumLevel.Warning().WriteTo.Sink(new BufferedConsoleSink(format, Console.OpenStandardError(), flushEachEvent: true));
            }
            else
            {
                logger.WriteTo.Async(sink => sink.Sink(new BufferedConsoleSink(format, Console.OpenStandardOutput())), bufferSize, blockWhenFull: false, monitor: LogBuffer.Instance);
            }
        },
        // Each host owns its logger and disposes that one: with the static logger, disposing one
        // host (Log.CloseAndFlush) would close whichever host's logger was built last, as when
        // test hosts overlap.
        preserveStaticLogger: true);
        builder.Services.Decorate<ILoggerFactory, CachedLoggers>();
    }

    /// <summary>JSON (one event per line, with trace and span ids) or text for a developer's terminal.</summary>
    public static ILogLineFormat Format(string? format, IHostEnvironment environment) =>
        (format?.Trim().ToLowerInvariant() ?? (environment.IsDevelopment() ? "text" : "json")) switch
        {
            "json" => new ClefLines(),
            "text" => new TextLines(new MessageTemplateTextFormatter(
                "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj} {Properties:j} {TraceId}{NewLine}{Exception}",
                System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException(
                $"Logging__Format must be 'text' or 'json', not '{format}'."),
        };
}
