using System.Net;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Live;

/// <summary>What the live tests do over and over: metrics that count their own records, records, callers.</summary>
internal static class LiveClients
{
    /// <summary>A metric over its own query that counts that query's records (0 at first).</summary>
    public static async Task<Guid> CountingMetricAsync(this HttpClient client, string title) =>
        await client.CreateMetricAsync(
            $$"""{ "title": "{{title}} {{Guid.NewGuid():N}}", "is_editable": true, "layouts": [], "query_generation_prompt": "count of alerts in June 2025" }""");

    public static async Task AddRecordAsync(this HttpClient client, Guid metricId) =>
        await (await client.PostJsonAsync($"/metrics/{metricId}/metric-records", """{ "date": "2025-06-15", "alert_type": "Info" }"""))
            .ReadJsonAsync(HttpStatusCode.Created);

    /// <summary>The count a counting metric's answer shows.</summary>
    public static long Count(this ServerSentEvent metric) => metric.Json["records"]![0]!.AsObject().Single().Value!.GetValue<long>();

    /// <summary>A client of its own caller (its own per-caller limits).</summary>
    public static HttpClient CallerClient(this MetricsApi api, string name) =>
        api.CreateClient(api.Cognito.Token(t => t with { Username = name, Scopes = ["api/backend_access", "api/metrics.admin"] }));

    /// <summary>Polls until <paramref name="condition"/> holds; generous, since only correctness is asserted, never time.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + EventStreamReader.Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {EventStreamReader.Patience.TotalSeconds} s: {what}");
            }

            await Task.Delay(50);
        }
    }
}
