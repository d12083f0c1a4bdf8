using System.Net;
using System.Text.Json.Nodes;
using TechTalk.SpecFlow;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>Metrics and records a scenario starts from, created through the API by an administrator.</summary>
[Binding]
public sealed class ArrangeSteps(Conversation conversation)
{
    [Given(@"a metric titled ""([^""]*)"" from the prompt ""([^""]*)""")]
    public async Task MetricFromPrompt(string title, string prompt) =>
        await CreateAsync(title, MetricBodies.FromPrompt(title, prompt));

    [Given("^a metric titled \"([^\"]*)\" from the SQL \"(.*)\"$")]
    public async Task MetricFromSql(string title, string sql) => await CreateAsync(title, MetricBodies.FromSql(title, sql));

    [Given(@"the metric ""([^""]*)"" created with:")]
    public async Task MetricCreatedWith(string name, string body) => await CreateAsync(name, body);

    [Given(@"the metric ""([^""]*)"" has been updated with:")]
    public async Task MetricUpdated(string name, string body) =>
        await conversation.ArrangeAsync(HttpMethod.Put, $"/metrics/{{{name}}}", body, HttpStatusCode.OK);

    [Given(@"the metric ""([^""]*)"" has been deleted")]
    public async Task MetricDeleted(string name) =>
        await conversation.ArrangeAsync(HttpMethod.Delete, $"/metrics/{{{name}}}", json: null, HttpStatusCode.NoContent);

    /// <summary>One record per row; empty cells are left out, numeric measures sent as JSON numbers.</summary>
    [Given(@"the metric ""([^""]*)"" has the records:")]
    public async Task MetricHasRecords(string name, Table records)
    {
        foreach (var row in records.Rows)
        {
            await conversation.ArrangeAsync(HttpMethod.Post, $"/metrics/{{{name}}}/metric-records", MetricBodies.Record(records.Header, row), HttpStatusCode.Created);
        }
    }

    private async Task CreateAsync(string name, string body)
    {
        var created = await conversation.ArrangeAsync(HttpMethod.Post, "/metrics", body, HttpStatusCode.Created);
        conversation.Remember(name, created.Json["id"]!.GetValue<Guid>());
    }
}

/// <summary>Request bodies the steps build from a few words of the feature file.</summary>
public static class MetricBodies
{
    private static readonly HashSet<string> NumericMeasures = ["obsolescence", "obsolescence_val", "parts_flagged"];

    public static string FromPrompt(string? title, string prompt) => Body(title, "query_generation_prompt", prompt);

    public static string FromSql(string? title, string sql) => Body(title, "query", sql);

    /// <summary>A record (or a records-file item) from a table row: empty cells are left out.</summary>
    public static string Record(IEnumerable<string> header, TableRow row) => RecordNode(header, row).ToJsonString();

    public static JsonObject RecordNode(IEnumerable<string> header, TableRow row)
    {
        var record = new JsonObject();
        foreach (var column in header.Where(c => row[c].Length > 0))
        {
            record[column] = NumericMeasures.Contains(column) ? JsonNode.Parse(row[column]) : JsonValue.Create(row[column]);
        }

        return record;
    }

    private static string Body(string? title, string field, string value)
    {
        var body = new JsonObject();
        if (title is not null)
        {
            body["title"] = title;
        }

        body["is_editable"] = true;
        body["layouts"] = new JsonArray();
        body[field] = value;
        return body.ToJsonString();
    }
}
