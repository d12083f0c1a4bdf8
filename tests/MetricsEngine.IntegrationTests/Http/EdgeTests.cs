using System.Net;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetricsEngine.IntegrationTests.Http;

/// <summary>
/// What every answer carries (security headers, problem+json for whatever the application
/// refuses), CORS for the configured origins only, HEAD wherever GET is, and an OpenAPI document
/// whose server a caller cannot choose.
/// </summary>
public sealed class EdgeTests : ApiFixture
{
    private const string Dashboard = "https://dashboard.example.com";

    protected override bool ImportsSampleMetrics => true;

    protected override IDictionary<string, string?> Settings(TestDatabase database) => new Dictionary<string, string?>
    {
        ["Cors:AllowedOrigins:0"] = Dashboard,
        ["ForwardedHeaders:AllowedHosts:0"] = "metrics.example.com",
    };

    [TestCase("/metrics/" + SampleMetrics.AlertsByType, HttpStatusCode.OK)]
    [TestCase("/metrics/00000000-0000-0000-0000-000000000000", HttpStatusCode.NotFound)]
    [TestCase("/health/live", HttpStatusCode.OK)]
    [TestCase("/no/such/route", HttpStatusCode.NotFound)]
    public async Task Every_answer_carries_the_security_headers(string path, HttpStatusCode status)
    {
        var response = await Client.GetAsync(path);

        response.StatusCode.ShouldBe(status);
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Content-Security-Policy").ShouldBe("frame-ancestors 'none'");
        Header(response, "Referrer-Policy").ShouldBe("no-referrer");
    }

    [Test]
    public async Task Refusals_the_pipeline_writes_itself_carry_them_too()
    {
        using var anonymous = Api.CreateClient(token: null);

        var response = await anonymous.GetAsync($"/metrics/{SampleMetrics.AlertsByType}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "Referrer-Policy").ShouldBe("no-referrer");
    }

    [Test]
    public void The_server_does_not_name_itself() =>
        Api.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader.ShouldBeFalse();

    [TestCase("DELETE", "/health")]
    [TestCase("PATCH", "/metrics")]
    [TestCase("GET", "/metrics/" + SampleMetrics.AlertsByType + "/nothing-here")]
    [TestCase("POST", "/no/such/route")]
    public async Task Unknown_routes_and_wrong_methods_are_problem_json(string method, string path)
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        ((int)response.StatusCode).ShouldBeOneOf(404, 405);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().ShouldBe((int)response.StatusCode);
        problem["detail"]!.GetValue<string>().ShouldContain(path.Split('?')[0]);
    }

    [TestCase("/metrics/" + SampleMetrics.AlertsByType)]
    [TestCase("/metrics")]
    [TestCase("/metrics/" + SampleMetrics.AlertsByType + "/definition")]
    [TestCase("/health/ready")]
    [TestCase("/openapi/v1.json")]
    public async Task Head_is_answered_wherever_get_is(string path)
    {
        var get = await Client.GetAsync(path);
        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        head.StatusCode.ShouldBe(get.StatusCode);
        head.Content.Headers.ContentType?.MediaType.ShouldBe(get.Content.Headers.ContentType?.MediaType);
        head.Headers.ETag.ShouldBe(get.Headers.ETag);
    }

    [Test]
    public async Task Head_is_not_answered_where_get_is_not()
    {
        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/metrics/{SampleMetrics.AlertsByType}/metric-records"));

        head.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task Head_is_not_answered_on_an_event_stream()
    {
        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/metrics/{SampleMetrics.AlertsByType}/events"));

        head.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task A_preflight_from_an_allowed_origin_is_answered_with_what_it_may_send()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/metrics/{SampleMetrics.RawRecords}/metric-records");
        preflight.Headers.Add("Origin", Dashboard);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, idempotency-key");

        var response = await Client.SendAsync(preflight);

        ((int)response.StatusCode).ShouldBeOneOf(200, 204);
        Header(response, "Access-Control-Allow-Origin").ShouldBe(Dashboard);
        Header(response, "Access-Control-Allow-Methods")!.Split(',').Select(m => m.Trim()).ShouldContain("POST");
        var allowed = Header(response, "Access-Control-Allow-Headers")!.Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        allowed.ShouldBeSubsetOf(["authorization", "content-type", "if-match", "if-none-match", "idempotency-key", "last-event-id", "traceparent"]);
        allowed.ShouldContain("idempotency-key");
    }

    [Test]
    public async Task A_preflight_asking_for_a_header_not_on_the_list_is_not_allowed_it()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/metrics");
        preflight.Headers.Add("Origin", Dashboard);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-internal-override");

        var response = await Client.SendAsync(preflight);

        // The browser compares what it asked for with what is allowed, and refuses the call.
        (Header(response, "Access-Control-Allow-Headers") ?? string.Empty).ToLowerInvariant().ShouldNotContain("x-internal-override");
    }

    [Test]
    public async Task A_call_from_an_allowed_origin_may_read_etag_location_and_retry_after()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/metrics/{SampleMetrics.AlertsByType}");
        request.Headers.Add("Origin", Dashboard);

        var response = await Client.SendAsync(request);

        Header(response, "Access-Control-Allow-Origin").ShouldBe(Dashboard);
        Header(response, "Access-Control-Expose-Headers")!.Split(',').Select(h => h.Trim().ToLowerInvariant())
            .ShouldBe(["etag", "location", "retry-after"], ignoreOrder: true);
    }

    [Test]
    public async Task Another_origin_gets_no_cors_headers()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/metrics");
        preflight.Headers.Add("Origin", "https://evil.example.net");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var call = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        call.Headers.Add("Origin", "https://evil.example.net");

        var preflightResponse = await Client.SendAsync(preflight);
        var callResponse = await Client.SendAsync(call);

        Header(preflightResponse, "Access-Control-Allow-Origin").ShouldBeNull();
        Header(callResponse, "Access-Control-Allow-Origin").ShouldBeNull();
    }

    [Test]
    public async Task The_openapi_server_is_not_taken_from_a_forwarded_host_that_is_not_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Add("X-Forwarded-Host", "evil.example.net");

        var document = JsonNode.Parse(await (await Client.SendAsync(request)).Content.ReadAsStringAsync())!;

        document.ToJsonString().ShouldNotContain("evil.example.net");
        document["servers"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()).ShouldBe(["/"]);
    }

    [Test]
    public async Task The_openapi_server_names_an_allowed_host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Add("X-Forwarded-Host", "metrics.example.com");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var document = JsonNode.Parse(await (await Client.SendAsync(request)).Content.ReadAsStringAsync())!;

        document["servers"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()).ShouldBe(["https://metrics.example.com"]);
    }

    [Test]
    public async Task The_openapi_document_lists_head_beside_every_get_but_the_streams_with_its_answers_and_no_body()
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject();
        paths.Where(p => p.Value!["get"] is not null && !p.Key.EndsWith("/events", StringComparison.Ordinal)).Select(p => p.Key)
            .ShouldBe(paths.Where(p => p.Value!["head"] is not null).Select(p => p.Key));
        foreach (var (_, item) in paths.Where(p => p.Value!["head"] is not null))
        {
            var get = item!["get"]!;
            var head = item["head"]!;
            head["operationId"]!.GetValue<string>().ShouldBe("Head" + get["operationId"]!.GetValue<string>());
            head["responses"]!.AsObject().Select(r => r.Key).ShouldBe(get["responses"]!.AsObject().Select(r => r.Key));
            head["responses"]!.AsObject().ShouldAllBe(r => r.Value!["content"] == null);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
