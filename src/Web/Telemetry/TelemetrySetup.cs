using MetricsEngine.Crosscutting.Logging;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MetricsEngine.Web.Telemetry;

/// <summary>
/// OpenTelemetry for traces and metrics.
/// <list type="bullet">
/// <item>Metrics: the engine's own meter (every <c>metricsengine.*</c> instrument, whoever adds
/// it), ASP.NET Core's (request duration, rate-limit rejections, Kestrel connections), Npgsql's
/// (pool usage and waits) and the runtime's. Served as Prometheus text at <c>/metrics</c> on a port
/// of their own (<c>Telemetry:PrometheusPort</c>, default 9464, 0 = off; see <see cref="MetricsPort"/>),
/// never on the API's port, where <c>/metrics</c> is the API; and pushed by OTLP when an OTLP
/// endpoint is configured.</item>
/// <item>Traces: a server span per request, a span per application request, database spans, import
/// spans; recorded only when OTLP is configured, so nothing is spent on spans nobody receives. The
/// trace id (the caller's, from <c>traceparent</c>) is in every log line and problem either way.</item>
/// </list>
/// OTLP follows the standard <c>OTEL_*</c> variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>_PROTOCOL</c>, <c>_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, ...).
/// </summary>
internal static class TelemetrySetup
{
    public const string ServiceName = "metricsengine";
    public const int DefaultPrometheusPort = 9464;

    public static IServiceCollection AddMetricsEngineTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = TelemetrySettings.From(configuration);
        if (!settings.Exports)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(ServiceName));
        }

        telemetry.WithMetrics(metrics =>
        {
            metrics
                .AddMeter(EngineMetrics.MeterName)
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Diagnostics")
                .AddNpgsqlInstrumentation()
                .AddRuntimeInstrumentation();
            if (settings.PrometheusPort > 0)
            {
                metrics.AddPrometheusExporter();
            }

            if (settings.OtlpMetrics is { } otlp)
            {
                metrics.AddOtlpExporter(options => Target(options, otlp));
            }
        });

        if (settings.OtlpTraces is { } traces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(EngineTracing.SourceName)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(options => Target(options, traces)));
        }

        return services;
    }

    // A signal-specific endpoint is used as given; the general one gets the signal's path
    // appended by the exporter itself (OTLP's rule), so it is left to the exporter to read.
    private static void Target(OtlpExporterOptions options, OtlpTarget target)
    {
        if (target.SignalEndpoint is { } endpoint)
        {
            options.Endpoint = endpoint;
        }
    }
}

/// <summary>What telemetry is configured to go where.</summary>
internal sealed record TelemetrySettings(int PrometheusPort, string PrometheusHost, OtlpTarget? OtlpMetrics, OtlpTarget? OtlpTraces)
{
    public bool Exports => PrometheusPort > 0 || OtlpMetrics is not null || OtlpTraces is not null;

    public static TelemetrySettings From(IConfiguration configuration)
    {
        var port = configuration.GetValue("Telemetry:PrometheusPort", TelemetrySetup.DefaultPrometheusPort);
        if (port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Telemetry__PrometheusPort must be a port from 1 to 65535, or 0 to serve no metrics endpoint (not {port}).");
        }

        var general = Endpoint(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT");
        return new TelemetrySettings(
            port,
            configuration["Telemetry:PrometheusHost"] is { Length: > 0 } host ? host : "*",
            Signal(general, Endpoint(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")),
            Signal(general, Endpoint(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")));
    }

    private static OtlpTarget? Signal(Uri? general, Uri? specific) =>
        specific is not null ? new OtlpTarget(specific) : general is not null ? new OtlpTarget(null) : null;

    private static Uri? Endpoint(IConfiguration configuration, string variable) =>
        configuration[variable] is not { Length: > 0 } value ? null
        : Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri
        : throw new InvalidOperationException($"{variable} must be an absolute URL such as http://collector:4317, not '{value}'.");
}

/// <summary>OTLP is on for a signal: to its own endpoint when one is given, else to the general one.</summary>
internal sealed record OtlpTarget(Uri? SignalEndpoint);
