using TechTalk.SpecFlow;
using MetricsEngine.Testing;
using Serilog.Events;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>What the API did behind the answer: queries it ran on the database, log events it wrote, ETags.</summary>
[Binding]
public sealed class ObservationSteps(Conversation conversation, FeatureApi featureApi) : IDisposable
{
    private CounterReader? _executions;

    [Given(@"the API stops a query after (-?\d+) second(?:s)? and returns at most (-?\d+) rows")]
    public void QueryLimits(int seconds, int rows)
    {
        featureApi.Configure("Query:TimeoutSeconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        featureApi.Configure("Query:MaxRows", rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Counts executions on the engine's own counter from now on (scenarios run one at a time).</summary>
    [Given("I count the queries the database runs")]
    public void CountQueries() => _executions = CounterReader.QueriesExecuted();

    [Then(@"^the database has run (\d+) quer(?:y|ies)$")]
    public void DatabaseHasRun(int count) =>
        (_executions ?? throw new InvalidOperationException("Count the queries first: 'Given I count the queries the database runs'."))
            .Total.ShouldBe(count);

    [Then("the answer carries the ETag I sent")]
    public void SameETag() => conversation.LastETag.ShouldBe(conversation.SentETag);

    [Then("the answer carries a new ETag, not the one I sent")]
    public void NewETag()
    {
        conversation.Last.Headers.ETag.ShouldNotBeNull();
        conversation.Last.Headers.ETag.ToString().ShouldNotBe(conversation.SentETag);
    }

    [Then(@"the API logged ""([^""]*)"" at (\S+) level with:")]
    public async Task Logged(string message, LogEventLevel level, Table properties)
    {
        var events = (await conversation.ApiAsync()).Logs.WithTemplate(message).Where(e => e.Level == level).ToList();
        var expected = properties.Rows.Select(r => $"{r["property"]}={conversation.Expected(r["value"])}").ToList();
        events.ShouldContain(
            e => expected.All(p => Has(e, p)),
            $"No \"{message}\" event at {level} level has {string.Join(", ", expected)}; the events were:\n" +
            string.Join('\n', events.Select(e => string.Join(", ", e.Properties.Select(p => $"{p.Key}={LogCapture.Scalar(e, p.Key)}")))));
    }

    [Then(@"the API logged ""([^""]*)"" (-?\d+) time(?:s)?")]
    public async Task LoggedTimes(string message, int times) =>
        (await conversation.ApiAsync()).Logs.WithTemplate(message).Count.ShouldBe(times);

    /// <summary>The payload and signature identify a token; neither may appear in any log event.</summary>
    [Then("no log event contains the token I called with")]
    public async Task TokenNotLogged()
    {
        var logs = (await conversation.ApiAsync()).Logs.AllText();
        logs.ShouldNotBeEmpty();
        foreach (var segment in (conversation.CallerToken ?? throw new InvalidOperationException("The caller sent no token.")).Split('.').Skip(1))
        {
            logs.ShouldNotContain(segment);
        }
    }

    public void Dispose() => _executions?.Dispose();

    private static bool Has(LogEvent logEvent, string property)
    {
        var (name, value) = (property[..property.IndexOf('=', StringComparison.Ordinal)], property[(property.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return LogCapture.Scalar(logEvent, name) == value;
    }
}
