using System.Text.Json.Nodes;
using MetricsEngine.Testing;
using TechTalk.SpecFlow;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>A dashboard following its metrics on one event stream, as the dashboard's own client reads it.</summary>
[Binding]
public sealed class LiveSteps(Conversation conversation) : IAsyncDisposable
{
    private MetricsApi? _secondInstance;
    private EventStreamReader? _stream;

    [Given("a second instance of the API on the same database")]
    public async Task SecondInstance()
    {
        var first = await conversation.ApiAsync();
        _secondInstance = await MetricsApi.StartOnAsync(first.Database!);
    }

    [Given(@"I follow the metric ""([^""]*)""(?: with ""([^""]*)"")?")]
    [When(@"I follow the metric ""([^""]*)""(?: with ""([^""]*)"")?")]
    public async Task FollowOne(string name, string? query) =>
        await OpenAsync(await conversation.CallerClientAsync(), $"/metrics/{{{name}}}/events{(string.IsNullOrEmpty(query) ? "" : "?" + query)}");

    [Given(@"I follow the metric ""([^""]*)"" on the second instance")]
    public async Task FollowOnSecond(string name)
    {
        var second = _secondInstance ?? throw new InvalidOperationException("Start a second instance first.");
        var client = second.CreateClient(second.Cognito.Token(t => t with { Scopes = ["api/backend_access"] }));
        await OpenAsync(client, $"/metrics/{{{name}}}/events");
    }

    [Given(@"I follow the metrics (.+) on one stream")]
    public async Task FollowMany(string names)
    {
        var ids = new List<string>();
        foreach (var name in names.Split([", ", " and "], StringSplitOptions.RemoveEmptyEntries))
        {
            ids.Add($"id={{{name.Trim('"')}}}");
        }

        await OpenAsync(await conversation.CallerClientAsync(), $"/metrics/events?{string.Join('&', ids)}");
    }

    /// <summary>Waits for the event with these records (earlier answers of the metric may come first).</summary>
    [Then(@"the stream sends the metric ""([^""]*)"" with the records:")]
    public async Task StreamSendsRecords(string name, Table expected)
    {
        var id = (await conversation.MetricIdAsync(name)).ToString();
        JsonArray? last = null;
        try
        {
            await Stream.NextMatchingAsync(e =>
            {
                if (e.Event != "metric" || e.Json["id"]!.GetValue<string>() != id)
                {
                    return false;
                }

                last = e.Json["records"]!.AsArray();
                return last.Count == expected.RowCount && Enumerable.Range(0, last.Count).All(i =>
                    expected.Header.All(column => JsonCells.Matches(last[i]![column], expected.Rows[i][column])));
            });
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"The stream did not send \"{name}\" with those records; the last it sent was {JsonCells.Compact(last)} ({e.Message})");
        }
    }

    [Then(@"the stream says the metric ""([^""]*)"" was deleted")]
    public async Task StreamSaysDeleted(string name)
    {
        var id = (await conversation.MetricIdAsync(name)).ToString();
        var deleted = await Stream.NextMatchingAsync(e => e.Event == "deleted");
        deleted.Json["id"]!.GetValue<string>().ShouldBe(id);
    }

    [Then("the stream ends")]
    public async Task StreamEnds() => (await Stream.EndAsync()).ShouldBeEmpty();

    [Then("the stream asks me to sign in again and ends")]
    public async Task StreamAsksToReauthenticate()
    {
        var rest = await Stream.EndAsync();
        rest.ShouldNotBeEmpty();
        rest[^1].Event.ShouldBe("reauthenticate");
        JsonNode.Parse(rest[^1].Data)!["detail"]!.GetValue<string>().ShouldContain("expired");
    }

    [Given(@"I call the API with a token that expires in (\d+) seconds")]
    public void TokenExpiringSoon(int seconds) =>
        conversation.CallAs(cognito => cognito.Token(t => t with { Scopes = ["api/backend_access"], Expires = DateTimeOffset.UtcNow.AddSeconds(seconds) }));

    [AfterScenario]
    public async Task CloseStream() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }

        if (_secondInstance is not null)
        {
            await _secondInstance.DisposeAsync();
            _secondInstance = null;
        }
    }

    private EventStreamReader Stream => _stream ?? throw new InvalidOperationException("No stream is open in this scenario.");

    private async Task OpenAsync(HttpClient client, string pathTemplate)
    {
        _stream = await EventStreamReader.OpenAsync(client, await conversation.PathAsync(pathTemplate));
        ((int)_stream.Response.StatusCode).ShouldBe(200, await DescribeAsync(_stream.Response));
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
}
