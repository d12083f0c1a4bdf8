using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MetricsEngine.Web.Logging;

internal static class LoggingSetup
{
    /// <summary>
    /// Structured JSON on the console, one event per line, with log scopes as properties. Levels
    /// come from the <c>Serilog</c> configuration section. Verbs write their logs to stderr so
    /// that what they print on stdout (a token, a report) can be piped.
    /// </summary>
    public static void AddMetricsEngineLogging(this WebApplicationBuilder builder, bool forVerb) =>
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: forVerb ? LogEventLevel.Verbose : null);
            if (forVerb)
            {
                logger.MinimumLevel.Warning();
            }
        });
}
