using System.Text;
using System.Text.Json;
using MetricsEngine.Testing.Contract;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Contract;

/// <summary>
/// The checker every test client runs (<see cref="ContractCheckingHandler"/>) refuses what the
/// document does not describe, and the document itself holds together: every routed endpoint is in
/// it, its examples validate, and the README's requests are valid against it.
/// </summary>
public sealed class ContractCheckTests : ApiFixture
{
    private const string MetricPath = "/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11";

    private OpenApiContract _contract = null!;

    [OneTimeSetUp]
    public async Task ReadTheContract() => _contract = await Api.ContractAsync();

    [Test]
    public void An_answer_as_documented_passes()
    {
        var violations = _contract.Check(Answer("GET", MetricPath, 200, "application/json", ReadmeMetric,
            ("ETag", "\"abc\""), ("Cache-Control", "private, no-cache")));

        violations.ShouldBeEmpty();
    }

    [Test]
    public void A_body_that_breaks_the_schema_is_refused_naming_where()
    {
        var violations = _contract.Check(Answer("GET", MetricPath, 200, "application/json",
            ReadmeMetric.Replace("\"total_alerts\": 1", "\"total_alerts\": [1]", StringComparison.Ordinal).Replace("\"truncated\": false", "\"truncated\": \"no\"", StringComparison.Ordinal),
            ("ETag", "\"abc\""), ("Cache-Control", "private, no-cache")));

        violations.ShouldContain(v => v.Contains("/records/0/total_alerts", StringComparison.Ordinal));
        violations.ShouldContain(v => v.Contains("/truncated", StringComparison.Ordinal));
    }

    [Test]
    public void A_status_the_operation_does_not_list_is_refused()
    {
        var violations = _contract.Check(Answer("GET", "/metrics", 418, "application/problem+json", Problem(418)));

        violations.ShouldHaveSingleItem().ShouldStartWith("status 418 is not documented");
    }

    [Test]
    public void A_missing_required_header_is_refused()
    {
        var violations = _contract.Check(Answer("GET", "/metrics", 401, "application/problem+json", Problem(401)));

        violations.ShouldContain("the required header WWW-Authenticate is missing");
    }

    [Test]
    public void A_problem_without_its_trace_id_or_errors_is_refused()
    {
        var withoutTrace = _contract.Check(Answer("GET", "/metrics", 401, "application/problem+json",
            Problem(401).Replace(",\"traceId\":\"00-1-2-00\"", string.Empty, StringComparison.Ordinal), ("WWW-Authenticate", "Bearer")));
        var withoutErrors = _contract.Check(Answer("GET", "/metrics", 400, "application/problem+json", Problem(400)));

        withoutTrace.ShouldContain(v => v.Contains("traceId", StringComparison.Ordinal));
        withoutErrors.ShouldContain(v => v.Contains("errors", StringComparison.Ordinal));
    }

    [Test]
    public void Another_media_type_or_a_body_where_none_is_declared_is_refused()
    {
        _contract.Check(Answer("GET", "/health/live", 200, "text/plain", "live"))
            .ShouldHaveSingleItem().ShouldContain("media type text/plain");
        _contract.Check(Answer("DELETE", MetricPath, 204, "application/json", "{}"))
            .ShouldHaveSingleItem().ShouldContain("a body");
    }

    [Test]
    public void An_accepted_request_the_document_would_refuse_is_reported()
    {
        var exchange = Answer("POST", "/metrics", 201, "application/json", """{ "id": "0193a0b4-7c1e-7d2a-9f3b-5e6d7c8b9a01" }""",
            ("Location", "/metrics/0193a0b4-7c1e-7d2a-9f3b-5e6d7c8b9a01")) with
        {
            RequestMediaType = "application/json",
            RequestBody = Encoding.UTF8.GetBytes("""{ "is_editable": true, "layouts": [], "query": "SELECT 1", "colour": "red" }"""),
        };

        _contract.Check(exchange).ShouldContain(v => v.StartsWith("the API accepted a request body", StringComparison.Ordinal));
    }

    [Test]
    public void Requests_that_are_no_documented_operation_are_not_checked()
    {
        _contract.Check(Answer("GET", "/dashboard/index.html", 200, "text/html", "<html></html>")).ShouldBeEmpty();
        _contract.Check(Answer("PATCH", MetricPath, 405, "application/problem+json", Problem(405))).ShouldBeEmpty();
    }

    [Test]
    public async Task The_handler_fails_the_request_naming_the_request_status_and_violation()
    {
        // The served document with one schema deliberately wrong: Liveness's status must be a number.
        var broken = JsonSerializer.Serialize(_contract.Document).Replace(
            "\"Liveness\":{\"required\":[\"status\"],\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}}",
            "\"Liveness\":{\"required\":[\"status\"],\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"number\"}}",
            StringComparison.Ordinal);
        broken.ShouldNotBe(JsonSerializer.Serialize(_contract.Document), "the Liveness schema was not found to break");
        using var client = Api.CreateDefaultClient(new ContractCheckingHandler(_ => Task.FromResult(OpenApiContract.For(broken))));

        var failure = await Should.ThrowAsync<ContractViolationException>(() => client.GetAsync("/health/live"));

        failure.Message.ShouldStartWith("GET /health/live answered 200, which the OpenAPI document");
        failure.Message.ShouldContain("body: at /status (type)");
    }

    [Test]
    public void Every_endpoint_the_host_routes_is_documented()
    {
        // The document's own routes, its reference page and the dashboard's pages are not API
        // operations: clients are generated from the document, not from them.
        string[] notApi = ["/openapi", "/scalar", "/dashboard"];
        var routed = Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !notApi.Any(prefix => raw.StartsWith(prefix, StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToList();

        routed.ShouldNotBeEmpty();
        routed.Where(r => _contract.OperationOf(r.Method, r.Path) is null).ShouldBeEmpty();
    }

    [Test]
    public void Every_example_in_the_document_validates_against_its_schema()
    {
        var examples = 0;
        foreach (var path in _contract.Document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var media)
                    && media.TryGetProperty("example", out var example))
                {
                    examples++;
                    _contract.CheckRequestBody(operation.Name, Concrete(path.Name), example.GetRawText()).ShouldBeEmpty($"the request example of {operation.Name} {path.Name}");
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    foreach (var content in response.Value.TryGetProperty("content", out var c) ? c.EnumerateObject() : default)
                    {
                        if (content.Value.TryGetProperty("example", out var answer))
                        {
                            examples++;
                            var headers = response.Value.TryGetProperty("headers", out var h)
                                ? h.EnumerateObject().Select(x => (x.Name, HeaderExample(x.Name))).ToArray()
                                : [];
                            _contract.Check(Answer(operation.Name.ToUpperInvariant(), Concrete(path.Name), int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture), content.Name, answer.GetRawText(), headers))
                                .ShouldBeEmpty($"the {response.Name} example of {operation.Name} {path.Name}");
                        }
                    }
                }
            }
        }

        examples.ShouldBeGreaterThan(8);
    }

    [TestCase("""
        { "is_editable": true,
          "layouts": [ { "breakpoint": "lg", "x": 0, "y": 20, "w": 5, "h": 4, "static": false },
                       { "breakpoint": "md", "x": 0, "y": 10, "w": 1, "h": 4, "static": null } ],
          "query_generation_prompt": "Metrics needing approval from March 2025 to April 2025" }
        """, TestName = "The README's POST body is valid")]
    [TestCase("""{ "is_editable": false, "layouts": [], "query": "SELECT 1 AS one", "title": null }""", TestName = "SQL without a title is valid")]
    public void Request_bodies_the_API_accepts_are_valid(string json) =>
        _contract.CheckRequestBody("POST", "/metrics", json).ShouldBeEmpty();

    [TestCase("null", TestName = "A null body is refused")]
    [TestCase("""{ "is_editable": true, "layouts": [] }""", TestName = "Neither prompt nor query is refused")]
    [TestCase("""{ "is_editable": true, "layouts": [], "query": "SELECT 1", "query_generation_prompt": "x" }""", TestName = "Both prompt and query are refused")]
    [TestCase("""{ "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 0, "y": 20000, "w": 5, "h": 4 } ], "query": "SELECT 1" }""", TestName = "A y beyond the grid is refused")]
    public void Request_bodies_the_API_refuses_are_invalid(string json) =>
        _contract.CheckRequestBody("POST", "/metrics", json).ShouldNotBeEmpty();

    [TestCase("""{ "parts_flagged": 3 }""", true)]
    [TestCase("""{ "date": "2025-06-03T08:15:00Z", "alert_type": "Critical" }""", true)]
    [TestCase("""{ "date": "2025-06-03" }""", false)]
    [TestCase("""{ "obsolescence": null }""", false)]
    public void A_record_needs_one_measure(string json, bool valid) =>
        (_contract.CheckRequestBody("POST", "/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11/metric-records", json).Count == 0).ShouldBe(valid);

    private const string ReadmeMetric = """
        { "id": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11", "title": "Alerts by type", "is_editable": false,
          "parameters": {
            "start_date": { "applicable": true,  "value": "2025-06-01", "default": "2025-06-01" },
            "end_date":   { "applicable": true,  "value": "2025-06-04", "default": "2025-06-30" },
            "day_range":  { "applicable": false, "value": null, "default": null },
            "as_of":      { "applicable": false, "value": null, "default": null } },
          "records": [ { "alert_type": "Critical", "total_alerts": 1 }, { "alert_type": "Warning", "total_alerts": 1 } ],
          "truncated": false,
          "layouts": [ { "breakpoint": "lg", "x": 5, "y": 0, "w": 5, "h": 4, "static": true },
                       { "breakpoint": "md", "x": 0, "y": 4, "w": 1, "h": 4, "static": null } ] }
        """;

    private static string Problem(int status) =>
        $"{{\"type\":\"about:blank\",\"title\":\"t\",\"status\":{status},\"instance\":\"/metrics\",\"traceId\":\"00-1-2-00\"}}";

    /// <summary>The path with each parameter written as the document's own example of it, so a new route parameter needs no change here.</summary>
    private string Concrete(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, "\\{([^}]+)\\}", match =>
            _contract.Document.GetProperty("components").GetProperty("parameters").GetProperty($"path.{match.Groups[1].Value}").GetProperty("example") is var example
                && example.ValueKind == JsonValueKind.String ? example.GetString()! : example.GetRawText());

    private static string HeaderExample(string name) => name switch
    {
        "ETag" => "\"3\"",
        "Cache-Control" => "private, no-cache",
        "Location" => "/metrics/0193a0b4-7c1e-7d2a-9f3b-5e6d7c8b9a01",
        "Retry-After" => "5",
        _ => "Bearer",
    };

    private static Exchange Answer(string method, string path, int status, string mediaType, string body, params (string Name, string Value)[] headers) =>
        new(method, path, [], null, null, status,
            headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), mediaType, Encoding.UTF8.GetBytes(body));
}
