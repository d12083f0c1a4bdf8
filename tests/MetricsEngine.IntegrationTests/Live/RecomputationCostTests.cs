using System.Diagnostics;
using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Live;

/// <summary>
/// What changes cost the database, counted as stored-SQL executions on the engine's own counter:
/// one query per change per key however many subscribers, and a burst coalesced to a handful.
/// </summary>
public sealed class RecomputationCostTests
{
    private const int Subscribers = 100;
    private const int IntervalMilliseconds = 1_000;

    [Test]
    public async Task A_hundred_subscribers_of_one_key_cost_one_query_per_change_and_a_burst_of_200_records_a_handful()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Live:MaxStreamsPerCaller"] = "200",
            ["Live:MinIntervalMilliseconds"] = IntervalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = api.CreateAuthorizedClient();
        var id = await client.CountingMetricAsync("Watched");
        var streams = new List<EventStreamReader>();
        try
        {
            for (var i = 0; i < Subscribers; i++)
            {
                var stream = await EventStreamReader.OpenAsync(client, $"/metrics/{id}/events");
                stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
                (await stream.NextAsync())!.Count().ShouldBe(0);
                streams.Add(stream);
            }

            using (var executions = CounterReader.QueriesExecuted())
            {
                await client.AddRecordAsync(id);
                await Task.WhenAll(streams.Select(async s => (await s.NextAsync())!.Count().ShouldBe(1)));
                executions.Total.ShouldBe(1);
            }

            using (var executions = CounterReader.QueriesExecuted())
            {
                var burst = Stopwatch.StartNew();
                for (var i = 0; i < 200; i++)
                {
                    await client.AddRecordAsync(id);
                }

                burst.Stop();
                await Task.WhenAll(streams.Select(s => s.NextMatchingAsync(e => e.Count() == 201)));

                // At most one run per interval while the burst lasted, one more for its tail:
                // coalescing, where one query per record would be 200.
                var allowed = (int)(burst.ElapsedMilliseconds / IntervalMilliseconds) + 2;
                executions.Total.ShouldBeLessThanOrEqualTo(allowed);
                executions.Total.ShouldBeLessThan(200);
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
