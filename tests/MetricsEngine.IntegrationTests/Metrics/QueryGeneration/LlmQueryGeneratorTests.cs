using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.IntegrationTests.Metrics.QueryGeneration;

/// <summary>
/// The LLM generator (QueryGeneration__Provider=llm) against a fake OpenAI-compatible server
/// started by the test: success, retry, timeout, SQL that fails the allowlist check, and nonsense answers.
/// </summary>
public sealed class LlmQueryGeneratorTests : ApiFixture
{
    private FakeChatCompletions _llm = null!;

    /// <summary>The stand-in model answers before the API starts, since the API's settings name its address.</summary>
    protected override async Task StartDependenciesAsync() => _llm = await FakeChatCompletions.StartAsync();

    protected override async Task StopDependenciesAsync()
    {
        if (_llm is not null)
        {
            await _llm.DisposeAsync();
        }
    }

    protected override IDictionary<string, string?> Settings(TestDatabase database) => new Dictionary<string, string?>
    {
        ["QueryGeneration:Provider"] = "llm",
        ["Llm:Endpoint"] = $"{_llm.BaseAddress}/v1",
        ["Llm:Model"] = "gpt-test",
        ["Llm:ApiKey"] = "sk-test-key",
        ["Llm:TimeoutSeconds"] = "1",
        ["Llm:MaxRetries"] = "1",
    };

    [SetUp]
    public void Reset() => _llm.Reset();

    [Test]
    public async Task The_models_sql_is_parameterised_checked_and_stored_with_its_title()
    {
        _llm.Answer(_ => Completion("""{"title": "critical alerts, June", "sql": "SELECT COUNT(*) AS critical FROM metrics WHERE alert_type = 'Critical' AND DATE(date) BETWEEN '2025-06-01' AND '2025-06-30'"}"""));

        var id = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "How many critical alerts in June 2025?" }""");

        var definition = (await Client.GetJsonAsync($"/metrics/{id}/definition"))!;
        definition["title"]!.GetValue<string>().ShouldBe("Critical alerts, June");
        definition["parameterised_sql"]!.GetValue<string>().ShouldEndWith("BETWEEN @start_date AND @end_date");
        definition["parameters"]!.ToJsonString().ShouldBe(
            """[{"name":"start_date","type":"date","default_value":"2025-06-01"},{"name":"end_date","type":"date","default_value":"2025-06-30"}]""");

        var request = _llm.Requests.ShouldHaveSingleItem();
        request.Authorization.ShouldBe("Bearer sk-test-key");
        request.Body["model"]!.GetValue<string>().ShouldBe("gpt-test");
        request.Body["messages"]![0]!["content"]!.GetValue<string>().ShouldContain($"id = 'q_{id:N}'");
        request.Body["messages"]![1]!["content"]!.GetValue<string>().ShouldBe("How many critical alerts in June 2025?");
    }

    [Test]
    public async Task A_fenced_answer_without_json_is_understood()
    {
        _llm.Answer(_ => Completion("```sql\nSELECT SUM(parts_flagged) AS parts FROM metrics WHERE date >= CURRENT_DATE - INTERVAL '7' DAY\n```"));

        var id = await Client.CreateMetricAsync("""{ "is_editable": true, "layouts": [], "query_generation_prompt": "parts flagged this week please" }""");

        var definition = (await Client.GetJsonAsync($"/metrics/{id}/definition"))!;
        definition["parameterised_sql"]!.GetValue<string>().ShouldContain("@as_of - make_interval(days => @day_range)");
        definition["title"]!.GetValue<string>().ShouldBe("Parts flagged this week please");
    }

    [Test]
    public async Task A_transient_failure_is_retried()
    {
        var calls = 0;
        _llm.Answer(_ => Interlocked.Increment(ref calls) == 1
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Completion("""{"title": "Retried", "sql": "SELECT 1 AS one"}"""));

        var response = await Client.PostJsonAsync("/metrics", """{ "is_editable": true, "layouts": [], "query_generation_prompt": "retry me" }""");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        _llm.Requests.Count.ShouldBe(2);
    }

    [Test]
    public async Task A_generator_that_does_not_answer_in_time_is_a_504_after_the_retries()
    {
        _llm.Answer(_ => Results.Text("late"), delay: TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();

        var response = await Client.PostJsonAsync("/metrics", """{ "is_editable": true, "layouts": [], "query_generation_prompt": "too slow" }""");

        var problem = await response.ReadJsonAsync(HttpStatusCode.GatewayTimeout);
        problem["title"]!.GetValue<string>().ShouldBe("Query generation timed out");
        problem["detail"]!.GetValue<string>().ShouldBe("The query generator did not answer within 1 seconds (2 attempt(s)).");
        _llm.Requests.Count.ShouldBe(2);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4.5));
    }

    [Test]
    public async Task Sql_from_the_model_that_fails_the_allowlist_check_is_a_422_with_the_reason()
    {
        _llm.Answer(_ => Completion("""{"title": "Oops", "sql": "DELETE FROM metrics"}"""));
        var before = await Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_definitions");

        var response = await Client.PostJsonAsync("/metrics", """{ "is_editable": true, "layouts": [], "query_generation_prompt": "remove everything" }""");

        (await response.ReadJsonAsync(HttpStatusCode.UnprocessableEntity))["detail"]!.GetValue<string>()
            .ShouldBe("A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'DELETE'.");
        (await Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_definitions")).ShouldBe(before);
    }

    [Test]
    public async Task Sql_from_the_model_naming_a_column_that_does_not_exist_is_a_422()
    {
        _llm.Answer(_ => Completion("""{"sql": "SELECT revenue FROM metrics"}"""));

        var response = await Client.PostJsonAsync("/metrics", """{ "is_editable": true, "layouts": [], "query_generation_prompt": "revenue" }""");

        (await response.ReadJsonAsync(HttpStatusCode.UnprocessableEntity))["detail"]!.GetValue<string>().ShouldStartWith("Unknown column: column \"revenue\" does not exist.");
    }

    [TestCase("I am sorry, I cannot help with that.", "The query generator did not answer with SQL.")]
    [TestCase(null, "The query generator's answer has no message content.")]
    public async Task An_answer_without_sql_is_a_502(string? content, string detail)
    {
        _llm.Answer(_ => content is null ? Results.Json(new { choices = Array.Empty<object>() }) : Completion(content));

        var response = await Client.PostJsonAsync("/metrics", """{ "is_editable": true, "layouts": [], "query_generation_prompt": "nonsense" }""");

        var problem = await response.ReadJsonAsync(HttpStatusCode.BadGateway);
        problem["title"]!.GetValue<string>().ShouldBe("Query generation failed");
        problem["detail"]!.GetValue<string>().ShouldBe(detail);
    }

    [Test]
    public async Task A_persistent_server_error_is_a_502_naming_the_status()
    {
        _llm.Answer(_ => Results.StatusCode(StatusCodes.Status500InternalServerError));

        var response = await Client.PostJsonAsync("/metrics", """{ "is_editable": true, "layouts": [], "query_generation_prompt": "broken" }""");

        (await response.ReadJsonAsync(HttpStatusCode.BadGateway))["detail"]!.GetValue<string>()
            .ShouldBe("The query generator answered 500 Internal Server Error.");
    }

    private static IResult Completion(string content) => Results.Json(new JsonObject
    {
        ["id"] = "chatcmpl-test",
        ["object"] = "chat.completion",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = "stop",
        }),
    });

    /// <summary>An OpenAI-compatible <c>POST /v1/chat/completions</c> on loopback that answers as the test says.</summary>
    private sealed class FakeChatCompletions : IAsyncDisposable
    {
        private readonly WebApplication _server;
        private Func<JsonNode, IResult> _answer = _ => Results.StatusCode(500);
        private TimeSpan _delay;

        private FakeChatCompletions(WebApplication server) => _server = server;

        public string BaseAddress { get; private set; } = string.Empty;

        public ConcurrentQueue<(string? Authorization, JsonNode Body)> Requests { get; } = new();

        public static async Task<FakeChatCompletions> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var fake = new FakeChatCompletions(app);
            app.MapPost("/v1/chat/completions", async (HttpRequest request) =>
            {
                var body = (await JsonNode.ParseAsync(request.Body))!;
                fake.Requests.Enqueue((request.Headers.Authorization.ToString(), body));
                if (fake._delay > TimeSpan.Zero)
                {
                    await Task.Delay(fake._delay, request.HttpContext.RequestAborted);
                }

                return fake._answer(body);
            });
            await app.StartAsync();
            fake.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            return fake;
        }

        public void Answer(Func<JsonNode, IResult> answer, TimeSpan delay = default)
        {
            _answer = answer;
            _delay = delay;
        }

        public void Reset()
        {
            Requests.Clear();
            Answer(_ => Results.StatusCode(500));
        }

        public async ValueTask DisposeAsync()
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }
}
