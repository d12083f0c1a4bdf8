using System.Net;
using MetricsEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace MetricsEngine.IntegrationTests.Logging;

/// <summary>
/// Logs that tell the truth and cost little: two Information lines per request (the endpoint's
/// "Endpoint called" and one completion line with the status the client got), handled problems
/// never logged as 500 or at Error, client aborts not errors, and the request's trace id (the
/// caller's, from traceparent) on every line and in every problem.
/// </summary>
public sealed class LoggingTests : ApiFixture
{
    private const string Completed = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms ({Scheme} from {ClientAddress})";

    protected override bool ImportsSampleMetrics => true;

    [SetUp]
    public void ClearLogs() => Api.Logs.Clear();

    [Test]
    public async Task A_request_writes_two_information_lines_the_second_with_the_status_and_duration()
    {
        (await Client.GetAsync($"/metrics/{SampleMetrics.AlertsByType}?start_date=2025-06-02")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var information = await InformationLinesAsync();
        information.Select(e => e.MessageTemplate.Text).ShouldBe(["Endpoint called", Completed]);
        var completed = information[1];
        LogCapture.Scalar(completed, "StatusCode").ShouldBe("200");
        LogCapture.Scalar(completed, "RequestPath").ShouldBe($"/metrics/{SampleMetrics.AlertsByType}");
        LogCapture.Scalar(completed, "RequestMethod").ShouldBe("GET");
        completed.Properties.ShouldContainKey("Elapsed");
    }

    [TestCase("/metrics/00000000-0000-0000-0000-000000000000", HttpStatusCode.NotFound)]
    [TestCase("/metrics/not-a-uuid", HttpStatusCode.BadRequest)]
    [TestCase("/metrics?page=0", HttpStatusCode.BadRequest)]
    [TestCase("/no/such/route", HttpStatusCode.NotFound)]
    public async Task A_handled_problem_is_logged_with_its_own_status_never_as_500_or_error(string path, HttpStatusCode status)
    {
        (await Client.GetAsync(path)).StatusCode.ShouldBe(status);

        var completed = await CompletionLineAsync();
        LogCapture.Scalar(completed, "StatusCode").ShouldBe(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        completed.Level.ShouldBe(LogEventLevel.Information);
        completed.Exception.ShouldBeNull();
        Api.Logs.Events.ShouldNotContain(e => e.Level >= LogEventLevel.Error, Api.Logs.AllText());
        Api.Logs.Events.ShouldNotContain(e => LogCapture.Scalar(e, "StatusCode") == "500");
    }

    [Test]
    public async Task A_refused_token_is_a_401_line_without_a_stack_trace()
    {
        using var anonymous = Api.CreateClient("not-a-token");

        (await anonymous.GetAsync($"/metrics/{SampleMetrics.AlertsByType}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        LogCapture.Scalar(await CompletionLineAsync(), "StatusCode").ShouldBe("401");
        Api.Logs.Events.ShouldNotContain(e => e.Exception != null);
    }

    [Test]
    public async Task A_client_that_goes_away_is_not_an_error()
    {
        // Legal SQL over the view that takes a while: the client gives up before the answer.
        var id = await Client.CreateMetricAsync("""
            { "title": "Slow for aborts", "is_editable": true, "layouts": [],
              "query": "SELECT count(*) AS n FROM metrics a, metrics b, metrics c, metrics d, metrics e, metrics f" }
            """);
        Api.Logs.Clear();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => Client.GetAsync($"/metrics/{id}", cancel.Token));

        var completed = await CompletionLineAsync(wait: TimeSpan.FromSeconds(30));
        LogCapture.Scalar(completed, "StatusCode").ShouldBe("499");
        completed.Level.ShouldBe(LogEventLevel.Information);
        Api.Logs.Events.ShouldNotContain(e => e.Level >= LogEventLevel.Error, Api.Logs.AllText());
    }

    [Test]
    public async Task The_callers_trace_id_is_the_problems_trace_id_and_on_every_line_of_the_request()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics/00000000-0000-0000-0000-000000000000");
        request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");

        var response = await Client.SendAsync(request);

        var problem = await response.ReadJsonAsync(HttpStatusCode.NotFound);
        problem["traceId"]!.GetValue<string>().ShouldBe(traceId);
        await CompletionLineAsync();
        var lines = Api.Logs.Events.Where(e => e.Level >= LogEventLevel.Information).ToList();
        lines.Count.ShouldBe(2);
        lines.ShouldAllBe(e => e.TraceId.HasValue && e.TraceId.Value.ToHexString() == traceId);
    }

    [Test]
    public async Task Without_a_traceparent_each_request_gets_its_own_trace_id_in_its_problem_and_lines()
    {
        var first = await (await Client.GetAsync("/no/such/route")).ReadJsonAsync(HttpStatusCode.NotFound);
        var second = await (await Client.GetAsync("/no/such/route")).ReadJsonAsync(HttpStatusCode.NotFound);

        var firstId = first["traceId"]!.GetValue<string>();
        firstId.ShouldMatch("^[0-9a-f]{32}$");
        firstId.ShouldNotBe(second["traceId"]!.GetValue<string>());
        await CompletionLineAsync(count: 2);
        Api.Logs.WithTemplate(Completed).Select(e => e.TraceId!.Value.ToHexString())
            .ShouldBe([firstId, second["traceId"]!.GetValue<string>()]);
    }

    [Test]
    public void The_host_makes_one_logger_per_category_not_one_per_request()
    {
        // The JWT handler is built per request and asks for its logger each time (docs/adr/logging.md).
        var loggers = Api.Services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("MetricsEngine.PerRequest").ShouldBeSameAs(loggers.CreateLogger("MetricsEngine.PerRequest"));
    }

    // The completion line is written as the pipeline unwinds, which may be just after the client
    // has its answer.
    private async Task<LogEvent> CompletionLineAsync(int count = 1, TimeSpan? wait = null)
    {
        var until = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(2));
        while (Api.Logs.WithTemplate(Completed).Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        var lines = Api.Logs.WithTemplate(Completed);
        lines.Count.ShouldBe(count, Api.Logs.AllText());
        return lines[^1];
    }

    private async Task<IReadOnlyList<LogEvent>> InformationLinesAsync()
    {
        await CompletionLineAsync();
        return [.. Api.Logs.Events.Where(e => e.Level >= LogEventLevel.Information)];
    }
}
