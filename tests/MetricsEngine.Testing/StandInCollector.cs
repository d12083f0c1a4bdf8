using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Testing;

/// <summary>
/// An OpenTelemetry collector as an exporter sees one: OTLP over HTTP (protobuf) on loopback,
/// keeping every request body it receives per signal (<c>/v1/traces</c>, <c>/v1/metrics</c>).
/// Strings in protobuf are plain UTF-8, so span and instrument names can be found in the bytes.
/// </summary>
public sealed class StandInCollector : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    private StandInCollector(WebApplication server) => _server = server;

    public string Endpoint { get; private set; } = string.Empty;

    public static async Task<StandInCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new StandInCollector(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            collector._received.Enqueue(($"/v1/{signal}", body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        collector.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return collector;
    }

    /// <summary>Whether any export to <paramref name="path"/> contains <paramref name="text"/>.</summary>
    public bool Received(string path, string text) => Received(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Whether any export to <paramref name="path"/> contains <paramref name="bytes"/> (a trace id, say).</summary>
    public bool Received(string path, byte[] bytes) => _received.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(bytes) >= 0);

    public Task<bool> WaitForAsync(string path, string text, TimeSpan timeout) =>
        WaitForAsync(path, System.Text.Encoding.UTF8.GetBytes(text), timeout);

    public async Task<bool> WaitForAsync(string path, byte[] bytes, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!Received(path, bytes))
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
