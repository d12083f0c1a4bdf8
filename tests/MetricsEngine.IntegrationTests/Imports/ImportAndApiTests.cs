using System.Net;
using MetricsEngine.Core.Imports;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Imports;

/// <summary>
/// Files and the API both define metrics. An edit made through the API survives re-importing an
/// unchanged file; a file that changed wins; every change, from either side, is a version.
/// </summary>
public sealed class ImportAndApiTests
{
    private const string Metric = "11111111-1111-4111-8111-111111111111";

    private MetricsApi _api = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartApi()
    {
        _api = await MetricsApi.StartAsync();
        _client = _api.CreateClient(_api.Cognito.UserToken("alice", "metrics-writers"));
    }

    [TearDown]
    public async Task StopApi()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Test]
    public async Task An_api_edit_survives_reimporting_the_same_files_and_a_changed_file_wins()
    {
        using var files = Files(x: 0);
        await _api.ImportAsync(files.Files);
        await MoveTileAsync(x: 7);

        var unchanged = await _api.ImportAsync(files.Files);
        (await TileXAsync()).ShouldBe(7);
        unchanged.Counts.Metrics!.Unchanged.ShouldBe(1);

        using var edited = Files(x: 3);
        var changed = await _api.ImportAsync(edited.Files);
        (await TileXAsync()).ShouldBe(3);
        changed.Counts.Metrics!.Updated.ShouldBe(1);

        (await ChangesAsync()).ShouldBe(["1 system imported", "2 alice layouts changed", "3 system imported: layouts changed"]);
    }

    [Test]
    public async Task A_changed_query_in_the_file_gives_its_metrics_a_new_version()
    {
        using (var first = Files(x: 0))
        {
            await _api.ImportAsync(first.Files);
        }

        using var second = Files(x: 0, sql: "-- Tile\nSELECT 2 AS two");
        await _api.ImportAsync(second.Files);

        (await ChangesAsync()).ShouldBe(["1 system imported", "2 system imported: query changed"]);
        (await _client.GetJsonAsync($"/metrics/{Metric}"))!["records"]!.ToJsonString().ShouldBe("""[{"two":2}]""");
    }

    [Test]
    public async Task An_api_edit_of_an_imported_query_survives_reimporting_the_unchanged_csv()
    {
        using var files = Files(x: 0);
        await _api.ImportAsync(files.Files);
        var update = await _client.SendJsonAsync(HttpMethod.Put, $"/metrics/{Metric}", """
            { "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 2 }], "query": "-- Tile\nSELECT 42 AS answer" }
            """);
        await update.ReadJsonAsync(HttpStatusCode.OK);

        await _api.ImportAsync(files.Files);

        (await _client.GetJsonAsync($"/metrics/{Metric}"))!["records"]!.ToJsonString().ShouldBe("""[{"answer":42}]""");
    }

    [Test]
    public async Task A_metric_deleted_through_the_api_stays_deleted_and_the_import_says_so()
    {
        using var files = Files(x: 0);
        await _api.ImportAsync(files.Files);
        (await _client.DeleteAsync($"/metrics/{Metric}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var run = await _api.ImportAsync(files.Files);

        (await _client.GetAsync($"/metrics/{Metric}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        run.Issues.ShouldHaveSingleItem().Reason.ShouldBe(
            $"Metric {Metric} was deleted through the API; the import leaves it deleted (restore it from its versions).");
    }

    [Test]
    public async Task Imported_metrics_whose_queries_share_a_title_get_numbered_titles_with_a_warning()
    {
        using var files = new ImportFileSet()
            .Queries(("q_a", "-- Alerts\nSELECT 1 AS one"), ("q_b", "-- alerts\nSELECT 2 AS two"))
            .Metrics(new
            {
                items = new[]
                {
                    new { id = Metric, queryId = "q_a", isEditable = true },
                    new { id = "22222222-2222-4222-8222-222222222222", queryId = "q_b", isEditable = true },
                },
            });

        var run = await _api.ImportAsync(files.Files);
        var again = await _api.ImportAsync(files.Files);

        (await _client.GetJsonAsync($"/metrics/{Metric}/definition"))!["title"]!.GetValue<string>().ShouldBe("Alerts");
        (await _client.GetJsonAsync("/metrics/22222222-2222-4222-8222-222222222222/definition"))!["title"]!.GetValue<string>().ShouldBe("alerts (2)");
        run.Issues.ShouldHaveSingleItem().Severity.ShouldBe(IssueSeverity.Warning);
        again.Counts.Metrics!.Unchanged.ShouldBe(2);
    }

    private static ImportFileSet Files(int x, string sql = "-- Tile\nSELECT 1 AS one") => new ImportFileSet()
        .Queries(("q_tile", sql))
        .Metrics(new
        {
            items = new[] { new { id = Metric, queryId = "q_tile", isEditable = true } },
            layouts = new { lg = new[] { new { i = Metric, x, y = 0, w = 4, h = 2 } } },
        });

    private async Task MoveTileAsync(int x) =>
        await (await _client.SendJsonAsync(HttpMethod.Put, $"/metrics/{Metric}",
            $$"""{ "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": {{x}}, "y": 0, "w": 4, "h": 2 }] }""")).ReadJsonAsync(HttpStatusCode.OK);

    private async Task<int> TileXAsync() =>
        (await _client.GetJsonAsync($"/metrics/{Metric}/definition"))!["layouts"]![0]!["x"]!.GetValue<int>();

    private async Task<IEnumerable<string>> ChangesAsync() =>
        (await _client.GetJsonAsync($"/metrics/{Metric}/versions"))!.AsArray().Select(v => $"{v!["version"]} {v["changed_by"]} {v["change"]}");
}
