using MetricsEngine.Application.Imports;
using MetricsEngine.Core.Imports;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Imports.RunImport;

/// <summary>Importing dirty files (docs/product.md#import-files): load what can be loaded, report everything else.</summary>
public sealed class RunImportTests
{
    private const string First = "11111111-1111-4111-8111-111111111111";
    private const string Second = "22222222-2222-4222-8222-222222222222";
    private const string Third = "33333333-3333-4333-8333-333333333333";
    private const string Orphan = "99999999-9999-4999-8999-999999999999";

    private MetricsApi _api = null!;

    [SetUp]
    public async Task StartApi() => _api = await MetricsApi.StartAsync();

    [TearDown]
    public async Task StopApi() => await _api.DisposeAsync();

    [Test]
    public async Task Dirty_files_load_what_they_can_and_report_every_duplicate_and_orphan()
    {
        using var files = DirtyFiles();

        var run = await _api.ImportAsync(files.Files);

        run.Counts.Queries.ShouldBe(new ItemCounts(Read: 4, Added: 2, Updated: 0, Unchanged: 0, Rejected: 2));
        run.Counts.Metrics.ShouldBe(new ItemCounts(Read: 4, Added: 2, Updated: 0, Unchanged: 0, Rejected: 2));
        run.Counts.Layouts.ShouldBe(new ItemCounts(Read: 4, Added: 2, Updated: 0, Unchanged: 0, Rejected: 2));
        Describe(run.Issues).ShouldBe(
        [
            "queries.csv lines 6-7 [q_a] Error: Duplicate query id 'q_a': lines 2-3 already defines it, so this row was ignored.",
            "queries.csv line 8 [q_blank] Error: Query 'q_blank' has no SQL.",
            $"metrics.json items[2] [{First}] Error: Duplicate metric id {First} (with query 'q_b' instead of 'q_a'): the first definition at items[0] wins, this one was ignored.",
            $"metrics.json items[3] [{Third}] Error: Metric {Third} names query 'q_missing', which is neither in the queries file nor stored; the metric was not loaded.",
            $"metrics.json layouts.lg[2] [{Orphan}] Error: Layout names metric {Orphan}, which is not among the items.",
            $"metrics.json layouts.lg[3] [{Third}] Error: Layout for metric {Third}, which was not loaded (see that metric's issue).",
        ]);
        (await _api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_definitions")).ShouldBe(2);
    }

    [Test]
    public async Task Importing_the_same_files_again_changes_nothing()
    {
        using var files = DirtyFiles().Records(
            new { id = "q_a", date = "2025-06-01T00:00:00", obsolescence = 1.5m },
            new { id = "q_a", date = "2025-06-01T00:00:00", obsolescence = 1.5m });
        await _api.ImportAsync(files.Files);
        var before = await SnapshotAsync();

        var again = await _api.ImportAsync(files.Files);

        again.Counts.Queries.ShouldBe(new ItemCounts(Read: 4, Added: 0, Updated: 0, Unchanged: 2, Rejected: 2));
        again.Counts.Metrics.ShouldBe(new ItemCounts(Read: 4, Added: 0, Updated: 0, Unchanged: 2, Rejected: 2));
        again.Counts.Records.ShouldBe(new ItemCounts(Read: 2, Added: 0, Updated: 0, Unchanged: 2, Rejected: 0));
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Test]
    public async Task Two_identical_records_are_two_events_and_both_stay()
    {
        using var files = CleanFiles().Records(
            new { id = "q_a", date = "2025-06-01T00:00:00", obsolescence = 1.5m },
            new { id = "q_a", date = "2025-06-01T00:00:00", obsolescence = 1.50m },
            new { id = "q_a", date = "2025-06-01T00:00:00", obsolescence = 2m });

        var run = await _api.ImportAsync(files.Files);

        run.Counts.Records.ShouldBe(new ItemCounts(Read: 3, Added: 3, Updated: 0, Unchanged: 0, Rejected: 0));
        (await _api.Database!.ScalarAsync<long>("SELECT count(*) FROM query_surface.metrics WHERE obsolescence = 1.5")).ShouldBe(2);
    }

    [Test]
    public async Task A_file_with_one_more_identical_record_adds_exactly_that_one()
    {
        var record = new { id = "q_a", date = "2025-06-01T00:00:00", parts_flagged = 4 };
        using (var once = CleanFiles().Records(record))
        {
            await _api.ImportAsync(once.Files);
        }

        using var twice = CleanFiles().Records(record, record);
        var run = await _api.ImportAsync(twice.Files);

        run.Counts.Records.ShouldBe(new ItemCounts(Read: 2, Added: 1, Updated: 0, Unchanged: 1, Rejected: 0));
        (await _api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_records")).ShouldBe(2);
    }

    [Test]
    public async Task Layouts_keep_static_as_true_false_null_or_absent_and_the_bottom_sentinel()
    {
        using var files = CleanFiles().MetricsJson($$"""
            { "items": [ { "id": "{{First}}", "queryId": "q_a", "isEditable": true } ],
              "layouts": {
                "lg": [ { "i": "{{First}}", "x": 0, "y": 9999999, "w": 5, "h": 4, "static": false } ],
                "md": [ { "i": "{{First}}", "x": 0, "y": 10, "w": 1, "h": 4, "static": null } ],
                "sm": [ { "i": "{{First}}", "x": 0, "y": 10, "w": 1, "h": 4, "static": true } ],
                "xs": [ { "i": "{{First}}", "x": 0, "y": 10, "w": 1, "h": 4 } ] } }
            """);

        await _api.ImportAsync(files.Files);

        (await _api.Database!.ScalarAsync<string>(
            "SELECT string_agg(breakpoint || ':' || y || ':' || coalesce(static::text, 'null'), ',' ORDER BY breakpoint) FROM layout_items"))
            .ShouldBe("lg:9999999:false,md:10:null,sm:10:true,xs:10:null");
    }

    [Test]
    public async Task A_dry_run_reports_the_same_but_keeps_nothing()
    {
        using var files = DirtyFiles().Records(new { id = "q_a", date = "2025-06-01T00:00:00", obsolescence = 1m });

        var run = await _api.ImportAsync(files.Files, dryRun: true);

        run.DryRun.ShouldBeTrue();
        run.Counts.Metrics!.Added.ShouldBe(2);
        run.Counts.Records!.Added.ShouldBe(1);
        run.Issues.Count.ShouldBe(6);
        (await SnapshotAsync()).ShouldBe("queries=0 metrics=0 layouts=0 records=0 updated=");
        (await _api.Database!.ScalarAsync<long>("SELECT count(*) FROM import_runs")).ShouldBe(0);
    }

    [Test]
    public async Task The_run_and_its_issues_are_stored()
    {
        using var files = DirtyFiles();

        var run = await _api.ImportAsync(files.Files);

        (await _api.Database!.ScalarAsync<long>($"SELECT count(*) FROM import_issues WHERE import_run_id = '{run.Id}'")).ShouldBe(6);
    }

    [Test]
    public async Task A_changed_query_in_the_file_updates_the_stored_one()
    {
        using (var first = CleanFiles())
        {
            await _api.ImportAsync(first.Files);
        }

        using var changed = new ImportFileSet().Queries(("q_a", "-- A\nSELECT 2 AS two"));
        var run = await _api.ImportAsync(changed.Files);

        run.Counts.Queries.ShouldBe(new ItemCounts(Read: 1, Added: 0, Updated: 1, Unchanged: 0, Rejected: 0));
        (await _api.Database!.ScalarAsync<string>("SELECT sql FROM queries WHERE id = 'q_a'")).ShouldBe("-- A\nSELECT 2 AS two");
    }

    [Test]
    public async Task A_missing_file_stops_the_import_before_anything_is_loaded()
    {
        using var files = CleanFiles();
        var missing = files.Files with { RecordsFile = "/nonexistent/metric_records.json" };

        var failure = await Should.ThrowAsync<ImportFileException>(() => _api.ImportAsync(missing));

        failure.Message.ShouldBe("/nonexistent/metric_records.json: the file does not exist.");
        (await SnapshotAsync()).ShouldBe("queries=0 metrics=0 layouts=0 records=0 updated=");
    }

    [TestCase("this is not json")]
    [TestCase("[1, 2, 3]")]
    [TestCase("{ \"layouts\": {} }")]
    public async Task A_metrics_file_that_is_not_a_metrics_document_is_refused(string content)
    {
        using var files = CleanFiles().MetricsJson(content);

        var failure = await Should.ThrowAsync<ImportFileException>(() => _api.ImportAsync(files.Files));

        failure.File.ShouldEndWith("metrics.json");
    }

    [Test]
    public async Task A_records_file_cut_off_half_way_keeps_nothing_from_that_file()
    {
        using var files = CleanFiles().RecordsJson("""[ { "id": "q_a", "date": "2025-06-01", "obsolescence": 1 }, { "id": "q_a", "da""");

        var failure = await Should.ThrowAsync<ImportFileException>(() => _api.ImportAsync(files.Files));

        failure.Message.ShouldContain("the JSON is malformed at line 1");
        (await _api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_records")).ShouldBe(0);
    }

    private static ImportFileSet CleanFiles() => new ImportFileSet()
        .Queries(("q_a", "-- A\nSELECT 1 AS one"))
        .Metrics(new
        {
            items = new[] { new { id = First, queryId = "q_a", isEditable = true } },
            layouts = new { lg = new[] { new { i = First, x = 0, y = 0, w = 5, h = 4 } } },
        });

    private static ImportFileSet DirtyFiles() => new ImportFileSet()
        .QueriesCsv("""
            id,query
            q_a,"-- A
            SELECT 1 AS one"
            q_b,"-- B
            SELECT 2 AS two"
            q_a,"-- A again
            SELECT 3 AS three"
            q_blank,"  "
            """)
        .MetricsJson($$"""
            {
              "items": [
                { "id": "{{First}}", "queryId": "q_a", "isEditable": true },
                { "id": "{{Second}}", "query_id": "q_b", "isEditable": false },
                { "id": "{{First}}", "queryId": "q_b", "isEditable": true },
                { "id": "{{Third}}", "queryId": "q_missing", "isEditable": true }
              ],
              "layouts": {
                "lg": [
                  { "i": "{{First}}", "x": 0, "y": 0, "w": 5, "h": 4, "static": false },
                  { "i": "{{Second}}", "x": 5, "y": 0, "w": 5, "h": 4 },
                  { "i": "{{Orphan}}", "x": 0, "y": 4, "w": 5, "h": 4 },
                  { "i": "{{Third}}", "x": 5, "y": 4, "w": 5, "h": 4 }
                ]
              }
            }
            """);

    private static IEnumerable<string> Describe(IEnumerable<ImportIssue> issues) =>
        issues.Select(i => $"{i.File} {i.Position} [{i.Key}] {i.Severity}: {i.Reason}");

    private async Task<string> SnapshotAsync()
    {
        var database = _api.Database!;
        return $"queries={await database.ScalarAsync<long>("SELECT count(*) FROM queries")} " +
               $"metrics={await database.ScalarAsync<long>("SELECT count(*) FROM metric_definitions")} " +
               $"layouts={await database.ScalarAsync<long>("SELECT count(*) FROM layout_items")} " +
               $"records={await database.ScalarAsync<long>("SELECT count(*) FROM metric_records")} " +
               $"updated={await database.ScalarAsync<string>("SELECT max(updated_at)::text FROM metric_definitions")}";
    }
}
