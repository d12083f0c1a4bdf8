using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry.Metrics;

namespace MetricsEngine.Web.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint on a port of its own. The server listens on the API's addresses
/// (as configured by <c>urls</c>, <c>ASPNETCORE_URLS</c> or <c>ASPNETCORE_HTTP_PORTS</c>) plus
/// <c>http://{Telemetry:PrometheusHost}:{Telemetry:PrometheusPort}</c>; a request that arrives on
/// the metrics port is answered by the exporter at <c>/metrics</c> (404 elsewhere) and never
/// reaches the API, and the API's port never serves the exporter.
/// </summary>
internal static class MetricsPort
{
    public static WebApplication UseMetricsPort(this WebApplication app)
    {
        var port = app.Configuration.GetValue("Telemetry:PrometheusPort", TelemetrySetup.DefaultPrometheusPort);
        if (port <= 0 || app.Services.GetService<MeterProvider>() is null)
        {
            return app;
        }

        Listen(app, port, app.Configuration["Telemetry:PrometheusHost"] is { Length: > 0 } host ? host : "*");
        app.MapWhen(http => http.Connection.LocalPort == port, metrics =>
        {
            metrics.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == "/metrics");
            metrics.Run(async http =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = 404, Detail = "This port serves metrics at /metrics only." },
                });
            });
        });
        return app;
    }

    /// <summary>Adds the metrics address to the API's, which the server would otherwise take from configuration itself.</summary>
    private static void Listen(WebApplication app, int port, string host)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.IsReadOnly)
        {
            // A test server: it has no sockets to add.
            return;
        }

        if (addresses.Count == 0)
        {
            foreach (var url in ApiUrls(app.Configuration))
            {
                addresses.Add(url);
            }
        }

        if (addresses.Any(url => BindingAddress.Parse(url).Port == port))
        {
            throw new InvalidOperationException(
                $"Telemetry__PrometheusPort is {port}, which the API itself listens on: /metrics there is the API. Choose another port (default {TelemetrySetup.DefaultPrometheusPort}) or 0 for none.");
        }

        addresses.Add($"http://{host}:{port}");
    }

    // The same rule the host applies: urls when given, else the http/https port lists.
    private static IEnumerable<string> ApiUrls(IConfiguration configuration) =>
        configuration["urls"] is { Length: > 0 } urls
            ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https"));

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(port => $"{scheme}://*:{port}");
}
