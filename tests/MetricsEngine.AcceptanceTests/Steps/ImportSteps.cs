using System.Text.Json.Nodes;
using TechTalk.SpecFlow;
using MetricsEngine.Testing;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>
/// Import files as the feature file shows them, imported the way the `import` verb and the
/// start-up import do it, and the report GET /imports/latest gives about them.
/// </summary>
[Binding]
public sealed class ImportSteps(Conversation conversation) : IDisposable
{
    private readonly ImportFileSet _files = new();

    [Given("the queries file:")]
    public void QueriesFile(string csv) => _files.QueriesCsv(csv);

    [Given("the metrics file:")]
    public void MetricsFile(string json) => _files.MetricsJson(json);

    [Given("the records file:")]
    public void RecordsFile(string json) => _files.RecordsJson(json);

    /// <summary>One record per row (id is the query id); empty cells are left out.</summary>
    [Given("the records file has the records:")]
    public void RecordsFileRows(Table records) =>
        _files.RecordsJson(new JsonArray([.. records.Rows.Select(r => (JsonNode)MetricBodies.RecordNode(records.Header, r))]).ToJsonString());

    /// <summary>A new host on a database of its own: imports see no other scenario's data.</summary>
    [Given("an empty dashboard")]
    public async Task EmptyDashboard() => conversation.UseOwnApi(await MetricsApi.StartAsync());

    [Given("the files have been imported")]
    [When("the files are imported")]
    [When("the same files are imported again")]
    public async Task Import() => await (await conversation.ApiAsync()).ImportAsync(_files.Files);

    [Then("the report counts:")]
    public void TheReportCounts(Table counts)
    {
        var actual = conversation.Last.Json["counts"]!.AsObject()
            .Where(kind => kind.Value is not null)
            .Select(kind => $"{kind.Key}: {Count(kind.Value!, "read")} read, {Count(kind.Value!, "added")} added, " +
                            $"{Count(kind.Value!, "updated")} updated, {Count(kind.Value!, "unchanged")} unchanged, {Count(kind.Value!, "rejected")} rejected");
        actual.ShouldBe(counts.Rows.Select(r => $"{r["kind"]}: {r["read"]} read, {r["added"]} added, " +
                                                 $"{r["updated"]} updated, {r["unchanged"]} unchanged, {r["rejected"]} rejected"));
    }

    [Then("the report lists the issues:")]
    public void TheReportListsTheIssues(Table issues)
    {
        var report = conversation.Last.Json;
        report["issues"]!.AsArray()
            .Select(i => $"{i!["file"]} {i["position"]} [{i["key"]}] {i["severity"]}: {i["reason"]}")
            .ShouldBe(issues.Rows.Select(r => $"{r["file"]} {r["position"]} [{r["key"]}] {r["severity"]}: {r["reason"]}"));
        report["issue_count"]!.GetValue<int>().ShouldBe(issues.RowCount);
    }

    [Then("the report lists no issues")]
    public void TheReportListsNoIssues()
    {
        conversation.Last.Json["issues"]!.AsArray().ShouldBeEmpty();
        conversation.Last.Json["issue_count"]!.GetValue<int>().ShouldBe(0);
    }

    public void Dispose() => _files.Dispose();

    private static int Count(JsonNode kind, string name) => kind[name]!.GetValue<int>();
}
