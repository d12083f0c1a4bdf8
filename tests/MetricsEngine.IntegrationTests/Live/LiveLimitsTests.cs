using System.Net;
using MetricsEngine.Testing;
using MetricsEngine.Web.Live;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Live;

/// <summary>Streams are bounded: per caller (429), per instance (503), per slow client (disconnected), and end at shutdown.</summary>
public sealed class LiveLimitsTests
{
    [Test]
    public async Task A_caller_past_its_streams_gets_429_and_the_instance_past_its_streams_503()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Live:MaxStreamsPerCaller"] = "2",
            ["Live:MaxStreams"] = "3",
        });
        using var alice = api.CallerClient("alice");
        using var bob = api.CallerClient("bob");
        using var carol = api.CallerClient("carol");
        var id = await alice.CountingMetricAsync("Limited");

        await using var first = await EventStreamReader.OpenAsync(alice, $"/metrics/{id}/events");
        await using var second = await EventStreamReader.OpenAsync(alice, $"/metrics/{id}/events");
        await using var third = await EventStreamReader.OpenAsync(alice, $"/metrics/{id}/events");
        third.Response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        third.Response.Headers.RetryAfter.ShouldNotBeNull();
        (await third.Response.ReadJsonAsync(HttpStatusCode.TooManyRequests))["detail"]!.GetValue<string>().ShouldContain("2 event streams");

        await using var bobs = await EventStreamReader.OpenAsync(bob, $"/metrics/{id}/events");
        bobs.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var carols = await EventStreamReader.OpenAsync(carol, $"/metrics/{id}/events");
        carols.Response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        carols.Response.Headers.RetryAfter.ShouldNotBeNull();

        // A closed stream frees its place.
        await first.DisposeAsync();
        await LiveClients.EventuallyAsync(() => Task.FromResult(api.Services.GetRequiredService<LiveStreams>().Count == 2), "the closed stream is released");
        await using var again = await EventStreamReader.OpenAsync(carol, $"/metrics/{id}/events");
        again.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_client_that_does_not_read_is_disconnected_once_its_buffer_is_full()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Live:MaxBufferedEvents"] = "2",
            ["Live:HeartbeatSeconds"] = "1",
            ["Live:MinIntervalMilliseconds"] = "0",
        });
        using var client = api.CreateAuthorizedClient();
        // A large answer (100 rows of 4,000 characters) fills the transport's buffers in a few events.
        var id = await client.CreateMetricAsync($$"""
            { "title": "Large", "is_editable": true, "layouts": [],
              "query": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 100) SELECT n, '{{new string('x', 4000)}}' AS filler, (SELECT count(*) FROM metrics) AS records FROM t" }
            """);
        var streams = api.Services.GetRequiredService<LiveStreams>();
        await using var reader = await EventStreamReader.OpenAsync(client, $"/metrics/{id}/events");
        await using var unread = await EventStreamReader.OpenAsync(client, $"/metrics/{id}/events");
        streams.Count.ShouldBe(2);

        // The reader keeps up; the other never reads a byte.
        for (var i = 0; i < 40 && streams.Count == 2; i++)
        {
            await client.AddRecordAsync(id);
            await reader.NextMatchingAsync(e => e.Event == "metric" && e.Json["records"]![0]!["records"]!.GetValue<long>() == i + 1);
        }

        await LiveClients.EventuallyAsync(() => Task.FromResult(streams.Count == 1), "the client that does not read is disconnected");
        await client.AddRecordAsync(id);
        (await reader.NextMatchingAsync(e => e.Event == "metric")).Event.ShouldBe("metric");
    }

    [Test]
    public async Task On_shutdown_streams_end_cleanly()
    {
        var api = await MetricsApi.StartAsync();
        var stopping = Task.CompletedTask;
        try
        {
            using var client = api.CreateAuthorizedClient();
            var id = await client.CountingMetricAsync("Shutdown");
            await using var stream = await EventStreamReader.OpenAsync(client, $"/metrics/{id}/events");
            await stream.NextAsync();

            stopping = Task.Run(() => api.DisposeAsync().AsTask());

            // The server ends the stream (no error, no event): the client reconnects elsewhere.
            (await stream.EndAsync()).ShouldBeEmpty();
        }
        finally
        {
            await stopping.WaitAsync(EventStreamReader.Patience);
            if (stopping == Task.CompletedTask)
            {
                await api.DisposeAsync();
            }
        }
    }
}
