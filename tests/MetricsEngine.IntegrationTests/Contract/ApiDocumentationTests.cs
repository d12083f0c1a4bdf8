using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MetricsEngine.IntegrationTests.Contract;

/// <summary>The OpenAPI document and its Scalar UI are served, anonymously, and describe the API honestly.</summary>
public sealed class ApiDocumentationTests : ApiFixture
{
    private JsonNode _document = null!;

    [OneTimeSetUp]
    public async Task FetchDocument()
    {
        using var client = Api.CreateClient(token: null);
        _document = (await client.GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
    }

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
    public void The_document_states_types_formats_and_problems_as_the_wire_has_them()
    {
        var parameters = _document["components"]!["parameters"]!;
        parameters["page"]!["schema"]!["type"]!.GetValue<string>().ShouldBe("integer");
        parameters["day_range"]!["schema"]!["type"]!.GetValue<string>().ShouldBe("integer");
        parameters["path.version"]!["schema"]!["type"]!.GetValue<string>().ShouldBe("integer");
        parameters["start_date"]!["schema"]!["format"]!.GetValue<string>().ShouldBe("date");
        parameters["path.id"]!["schema"]!["format"]!.GetValue<string>().ShouldBe("uuid");

        var problem = _document["components"]!["schemas"]!["ProblemDetails"]!;
        problem["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain("traceId");
        (problem["additionalProperties"]?.GetValue<bool>() ?? true).ShouldBeTrue("problem documents carry extension members");
        _document["components"]!["schemas"]!["Row"]!["additionalProperties"]!["type"]!.AsArray().Select(t => t!.GetValue<string>())
            .ShouldBe(["string", "number", "boolean", "null"], ignoreOrder: true);

        var createBody = _document["paths"]!["/metrics"]!["post"]!["requestBody"]!;
        createBody["required"]!.GetValue<bool>().ShouldBeTrue();
        createBody["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/CreateMetricRequest");
    }

    [Test]
    public void The_document_describes_itself_for_clients_not_for_csharp_readers()
    {
        // No trailing slash to double up with the paths; "/" alone is the root itself (a relative
        // server, which is what the document says unless the host is an allowed one).
        _document["servers"]!.AsArray().ShouldAllBe(s => s!["url"]!.GetValue<string>() == "/" || !s!["url"]!.GetValue<string>().EndsWith('/'));
        _document["info"]!["license"]!["name"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        _document["info"]!["description"]!.GetValue<string>().ShouldContain("./run.sh token");
        _document["tags"]!.AsArray().ShouldAllBe(t => !string.IsNullOrWhiteSpace(t!["description"]!.GetValue<string>()));

        var text = _document.ToJsonString();
        foreach (var csharp in new[] { "IReadOnly", "Command", "string?", "bool?", "int?", "DateOnly", "&lt;" })
        {
            text.ShouldNotContain(csharp, Case.Sensitive);
        }
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
        using var client = Api.CreateClient(token: null);

        var response = await client.GetAsync("/scalar");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("openapi/v1.json");
        html.ShouldContain("./run.sh token");
    }
}
