using System.Net;
using System.Net.Sockets;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Telemetry;

/// <summary>
/// Metrics in Prometheus text on a port of their own (never the API's, where /metrics is the API),
/// and traces and metrics pushed by OTLP to a collector when the standard OTEL_* variables say so.
/// </summary>
public sealed class TelemetryTests
{
    [Test]
    public async Task Prometheus_text_is_served_on_its_own_port_and_the_apis_metrics_stay_on_the_api_port()
    {
        var port = FreePort();
        await using var api = (await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:PrometheusPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Telemetry:PrometheusHost"] = "127.0.0.1",
        })).ServeOnSockets();
        using var files = SampleMetrics.Files();
        await api.ImportAsync(files.Files);
        // The server listens on two addresses: the API's (any port) and the metrics one.
        var apiAddress = api.Addresses.Single(a => !a.EndsWith($":{port}", StringComparison.Ordinal));
        using var client = new HttpClient { BaseAddress = new Uri(apiAddress) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Cognito.Token(t => t with { Scopes = ["api/backend_access"] }));
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        (await client.GetAsync($"/metrics/{SampleMetrics.AlertsByType}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var list = await (await client.GetAsync("/metrics")).ReadJsonAsync(HttpStatusCode.OK);
        var scrape = await scraper.GetAsync("/metrics");

        list["items"]!.AsArray().Count.ShouldBe(3);
        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        scrape.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await scrape.Content.ReadAsStringAsync();
        text.ShouldContain("metricsengine_cache_misses_total");
        text.ShouldContain("metricsengine_query_duration_seconds_bucket");
        text.ShouldContain("http_server_request_duration_seconds_bucket");
        (await scraper.GetAsync($"/metrics/{SampleMetrics.AlertsByType}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await scraper.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Port_zero_serves_no_metrics()
    {
        await using var api = (await MetricsApi.StartAsync(new Dictionary<string, string?> { ["Telemetry:PrometheusPort"] = "0" })).ServeOnSockets();

        api.Addresses.Count.ShouldBe(1, string.Join(", ", api.Addresses));
    }

    [Test]
    public async Task The_metrics_port_cannot_be_the_apis_port()
    {
        var port = FreePort();
        var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Telemetry:PrometheusPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        try
        {
            Should.Throw<Exception>(() => api.ServeOnSockets()).ToString().ShouldContain("Telemetry__PrometheusPort");
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Test]
    public async Task With_an_otlp_endpoint_traces_and_metrics_reach_the_collector()
    {
        await using var collector = await StandInCollector.StartAsync();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        MetricsApi api;
        var variables = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_SERVICE_NAME"] = "metricsengine-under-test",
        };

        // The standard variables are read from the environment when the host is built.
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            api = await MetricsApi.StartAsync();
            api.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)).ShouldNotBeNull();
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        await using (api)
        {
            using var files = SampleMetrics.Files();
            await api.ImportAsync(files.Files);
            using var client = api.CreateAuthorizedClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/metrics/{SampleMetrics.AlertsByType}");
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            (await client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);

            (await collector.WaitForAsync("/v1/traces", "GetMetricQuery", TimeSpan.FromSeconds(20))).ShouldBeTrue("no span of the MediatR request reached the collector");
            collector.Received("/v1/traces", Convert.FromHexString(traceId)).ShouldBeTrue("the caller's trace id is not on the spans");
            (await collector.WaitForAsync("/v1/traces", "postgresql", TimeSpan.FromSeconds(20))).ShouldBeTrue("no database span reached the collector");
            collector.Received("/v1/traces", "metricsengine-under-test").ShouldBeTrue();
            (await collector.WaitForAsync("/v1/metrics", "metricsengine.cache.misses", TimeSpan.FromSeconds(20))).ShouldBeTrue("the engine's meter did not reach the collector");
            (await collector.WaitForAsync("/v1/metrics", "http.server.request.duration", TimeSpan.FromSeconds(20))).ShouldBeTrue();
        }
    }

    [Test]
    public async Task Without_an_otlp_endpoint_spans_are_not_even_created()
    {
        await using var api = await MetricsApi.StartAsync();

        // No tracer provider: nothing listens to the engine's, ASP.NET Core's or Npgsql's sources.
        api.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)).ShouldBeNull();
        api.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)).ShouldNotBeNull();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
