using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Operability;

/// <summary>
/// The fast part of the reliability suite's fuzzer: a few hundred malformed requests (fixed seeds,
/// so a failure replays) through the whole pipeline. None may be answered 5xx, and every refusal
/// is a problem document. The suite under bench/ sends thousands over real sockets.
/// </summary>
public sealed class FuzzTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    [TestCase(1, 300)]
    [TestCase(2, 300)]
    public async Task Malformed_requests_never_get_a_5xx_and_every_refusal_is_problem_json(int seed, int count)
    {
        using var authorized = Api.CreateAuthorizedClient();
        using var anonymous = Api.CreateClient(token: null);
        var requests = new MalformedRequests(seed, [SampleMetrics.AlertsByType, SampleMetrics.CostAvoided, SampleMetrics.RawRecords]);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();

        var sent = 0;
        foreach (var request in requests.Take(count))
        {
            var described = await MalformedRequests.DescribeAsync(request);
            HttpResponseMessage response;
            try
            {
                response = await (sent++ % 5 == 0 ? anonymous : authorized).SendAsync(request);
            }
            catch (InvalidOperationException refused) when (refused.Message.Contains("null characters", StringComparison.Ordinal))
            {
                // A NUL in the decoded path: the in-memory server refuses it before the application,
                // as Kestrel does with a 400 of its own over a socket.
                continue;
            }

            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"{status} for {described}: {await response.Content.ReadAsStringAsync()}");
            }
            else if (status >= 400 && request.Method != HttpMethod.Head && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} without problem+json for {described}");
            }
        }

        TestContext.Out.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        failures.ShouldBeEmpty(string.Join("\n", failures.Take(10)));
        statuses.Keys.ShouldContain(k => k >= 400 && k < 500);
    }
}
