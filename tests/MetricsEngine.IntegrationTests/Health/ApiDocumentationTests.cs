using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Health;

/// <summary>The OpenAPI document and its Scalar UI are served, anonymously, and describe the API honestly.</summary>
public sealed class ApiDocumentationTests
{
    private MetricsApi _api = null!;
    private JsonNode _document = null!;

    [OneTimeSetUp]
    public async Task FetchDocument()
    {
        _api = await MetricsApi.StartAsync();
        using var client = _api.CreateClient(token: null);
        _document = (await client.GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
    }

    [OneTimeTearDown]
    public async Task StopApi() => await _api.DisposeAsync();

    [Test]
    public void Get_metric_is_documented_with_its_parameters_summary_and_every_error_status()
    {
        var get = _document["paths"]!["/metrics/{id}"]!["get"]!;

        get["summary"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        get["parameters"]!.AsArray().Select(p => p!["$ref"]!.GetValue<string>())
            .ShouldBe(["#/components/parameters/path.id", "#/components/parameters/start_date", "#/components/parameters/end_date",
                "#/components/parameters/day_range", "#/components/parameters/as_of", "#/components/parameters/If-None-Match"]);
        get["responses"]!.AsObject().Select(r => r.Key)
            .ShouldBe(["200", "304", "400", "401", "403", "404", "422", "429", "500", "503", "504"]);
        get["responses"]!["200"]!["content"]!["application/json"]!["example"]!["title"]!.GetValue<string>().ShouldBe("Alerts by type");
    }

    [Test]
    public void Metric_endpoints_require_the_bearer_scheme()
    {
        _document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        _document["paths"]!["/metrics/{id}"]!["get"]!["security"]!.ToJsonString().ShouldBe("""[{"Bearer":[]}]""");
        _document["paths"]!["/health"]!["get"]!["security"]!.ToJsonString().ShouldBe("[]");
    }

    [Test]
    public async Task The_scalar_reference_is_served()
    {
        using var client = _api.CreateClient(token: null);

        var response = await client.GetAsync("/scalar");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("openapi/v1.json");
        html.ShouldContain("./run.sh token");
    }
}
