using TechTalk.SpecFlow;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>
/// What the caller asks the API, in the dashboard's words. Paths may name metrics in braces:
/// <c>/metrics/{Alerts by type}/definition</c>.
/// </summary>
[Binding]
public sealed class RequestSteps(Conversation conversation)
{
    [When(@"I send (\S+) ""([^""]*)""")]
    public async Task Send(string method, string path) => await conversation.SendAsync(new HttpMethod(method), path);

    [When(@"I send (\S+) ""([^""]*)"" with the body:")]
    public async Task SendWithBody(string method, string path, string body) =>
        await conversation.SendAsync(new HttpMethod(method), path, body);

    [When(@"I read the metric ""([^""]*)""")]
    public async Task ReadMetric(string name) => await conversation.SendAsync(HttpMethod.Get, $"/metrics/{{{name}}}");

    [When(@"I read the metric ""([^""]*)"" with ""([^""]*)""")]
    public async Task ReadMetricWith(string name, string query) =>
        await conversation.SendAsync(HttpMethod.Get, $"/metrics/{{{name}}}?{query}");

    [When(@"I read the metric ""([^""]*)"" again, sending back the ETag I was given")]
    public async Task RevalidateMetric(string name) =>
        await conversation.SendAsync(HttpMethod.Get, $"/metrics/{{{name}}}", headers: [("If-None-Match", LastETag())]);

    [When(@"I read the definition of the metric ""([^""]*)""")]
    public async Task ReadDefinition(string name) => await conversation.SendAsync(HttpMethod.Get, $"/metrics/{{{name}}}/definition");

    [When("^I read the definition of the metric \"([^\"]*)\" with If-None-Match (.+)$")]
    public async Task ReadDefinitionIfNoneMatch(string name, string tag) =>
        await conversation.SendAsync(HttpMethod.Get, $"/metrics/{{{name}}}/definition", headers: [("If-None-Match", tag)]);

    [When("I list the metrics")]
    public async Task ListMetrics() => await conversation.SendAsync(HttpMethod.Get, "/metrics");

    [When(@"I list the metrics with ""([^""]*)""")]
    public async Task ListMetricsWith(string query) => await conversation.SendAsync(HttpMethod.Get, $"/metrics?{query}");

    [When("I create a metric with:")]
    public async Task CreateMetric(string body) => await conversation.SendAsync(HttpMethod.Post, "/metrics", body);

    /// <summary>The name is how the scenario refers to the metric later, whatever title it gets.</summary>
    [When(@"I create the metric ""([^""]*)"" with:")]
    public async Task CreateNamedMetric(string name, string body)
    {
        var answer = await conversation.SendAsync(HttpMethod.Post, "/metrics", body);
        if (answer.Status == System.Net.HttpStatusCode.Created)
        {
            conversation.Remember(name, answer.Json["id"]!.GetValue<Guid>());
        }
    }

    [When("^I create a metric from the SQL \"(.*)\"$")]
    public async Task CreateMetricFromSql(string sql) =>
        await conversation.SendAsync(HttpMethod.Post, "/metrics", MetricBodies.FromSql(title: null, sql));

    [When(@"I update the metric ""([^""]*)"" with:")]
    public async Task UpdateMetric(string name, string body) => await conversation.SendAsync(HttpMethod.Put, $"/metrics/{{{name}}}", body);

    [When("^I update the metric \"([^\"]*)\" with If-Match (.+):$")]
    public async Task UpdateMetricIfMatch(string name, string tag, string body) =>
        await conversation.SendAsync(HttpMethod.Put, $"/metrics/{{{name}}}", body, [("If-Match", tag)]);

    [When(@"I delete the metric ""([^""]*)""")]
    public async Task DeleteMetric(string name) => await conversation.SendAsync(HttpMethod.Delete, $"/metrics/{{{name}}}");

    [When("^I delete the metric \"([^\"]*)\" with If-Match (.+)$")]
    public async Task DeleteMetricIfMatch(string name, string tag) =>
        await conversation.SendAsync(HttpMethod.Delete, $"/metrics/{{{name}}}", headers: [("If-Match", tag)]);

    /// <summary>A valid body padded with a long prompt, so only its size is wrong.</summary>
    [When(@"I create a metric with a body of (-?\d+) MiB")]
    public async Task CreateHugeMetric(int mebibytes) =>
        await conversation.SendAsync(HttpMethod.Post, "/metrics", MetricBodies.FromPrompt(title: null, new string('x', mebibytes * 1024 * 1024)));

    [When(@"I list the versions of the metric ""([^""]*)""")]
    public async Task ListVersions(string name) => await conversation.SendAsync(HttpMethod.Get, $"/metrics/{{{name}}}/versions");

    [When(@"I restore version (-?\d+) of the metric ""([^""]*)""")]
    public async Task RestoreVersion(int version, string name) =>
        await conversation.SendAsync(HttpMethod.Post, $"/metrics/{{{name}}}/versions/{version}/restore");

    [When(@"I post a record to the metric ""([^""]*)"":")]
    public async Task PostRecord(string name, string body) =>
        await conversation.SendAsync(HttpMethod.Post, $"/metrics/{{{name}}}/metric-records", body);

    [When("I read the latest import report")]
    public async Task ReadLatestImport() => await conversation.SendAsync(HttpMethod.Get, "/imports/latest");

    private string LastETag() => conversation.LastETag ?? throw new InvalidOperationException("No answer carried an ETag yet.");
}
