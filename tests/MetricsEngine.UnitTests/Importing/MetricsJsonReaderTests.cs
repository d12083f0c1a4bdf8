using MetricsEngine.Application.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Infrastructure.Importing;

namespace MetricsEngine.UnitTests.Importing;

public sealed class MetricsJsonReaderTests
{
    private const string First = "5f0c0a52-7a4e-4c47-9a39-0d3f8c2b6e11";
    private const string Second = "a1b2c3d4-0000-4000-8000-000000000002";

    [Test]
    public async Task A_metric_is_read_with_its_position_key_and_raw_text()
    {
        var document = await ReadAsync($$"""
            {"items": [
              {"id": "{{First}}", "queryId": "q1", "isEditable": true},
              {"id": "{{Second}}", "queryId": "q2", "isEditable": false}
            ]}
            """);

        document.Items.Select(i => (i.Position, i.Key, i.Value)).ShouldBe([
            ("items[0]", First, new MetricItem(Guid.Parse(First), "q1", true)),
            ("items[1]", Second, new MetricItem(Guid.Parse(Second), "q2", false)),
        ]);
        document.Items.ShouldAllBe(i => i.Problems.Count == 0);
        document.Items[0].Raw.ShouldBe($$"""{"id": "{{First}}", "queryId": "q1", "isEditable": true}""");
        document.Layouts.ShouldBeEmpty();
    }

    [TestCase("\"queryId\": \"q1\"")]
    [TestCase("\"query_id\": \"q1\"")]
    [TestCase("\"queryId\": \"q1\", \"query_id\": \"q1\"")]
    [TestCase("\"queryId\": \"  q1  \"")]
    public async Task Either_spelling_of_the_query_id_is_accepted(string queryId)
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", {{queryId}}, "isEditable": true}""");

        item.Value.ShouldBe(new MetricItem(Guid.Parse(First), "q1", true));
        item.Problems.ShouldBeEmpty();
    }

    [Test]
    public async Task Query_ids_that_disagree_are_rejected()
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", "queryId": "q1", "query_id": "q2", "isEditable": true}""");

        item.Value.ShouldBeNull();
        item.Key.ShouldBe(First);
        item.Problems.ShouldBe(["'queryId' (\"q1\") and 'query_id' (\"q2\") disagree."]);
    }

    [TestCase("")]
    [TestCase(", \"queryId\": \"  \"")]
    [TestCase(", \"queryId\": null")]
    public async Task A_metric_without_a_query_is_rejected(string queryId)
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}"{{queryId}}, "isEditable": true}""");

        item.Value.ShouldBeNull();
        item.Problems.ShouldBe(["The metric names no query ('queryId' or 'query_id')."]);
    }

    [Test]
    public async Task A_query_id_that_is_not_text_is_rejected()
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", "queryId": 7, "isEditable": true}""");

        item.Value.ShouldBeNull();
        item.Problems.ShouldBe(["'queryId' must be text, not 7."]);
    }

    [Test]
    public async Task A_metric_without_is_editable_is_loaded_as_not_editable_with_a_warning()
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", "queryId": "q1"}""");

        item.Value.ShouldBe(new MetricItem(Guid.Parse(First), "q1", false));
        item.Problems.ShouldBe(["'isEditable' is missing; the metric was loaded as not editable."]);
    }

    [Test]
    public async Task Is_editable_may_be_spelled_in_snake_case()
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", "queryId": "q1", "is_editable": true}""");

        item.Value.ShouldBe(new MetricItem(Guid.Parse(First), "q1", true));
        item.Problems.ShouldBeEmpty();
    }

    [Test]
    public async Task Is_editable_that_is_not_a_boolean_is_rejected()
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", "queryId": "q1", "isEditable": "yes"}""");

        item.Value.ShouldBeNull();
        item.Problems.ShouldBe(["'isEditable' must be true or false, not \"yes\"."]);
    }

    [Test]
    public async Task An_unknown_property_is_ignored_with_a_warning()
    {
        var item = await ReadItemAsync($$"""{"id": "{{First}}", "queryId": "q1", "isEditable": true, "colour": "red"}""");

        item.Value.ShouldBe(new MetricItem(Guid.Parse(First), "q1", true));
        item.Problems.ShouldBe(["Unknown field 'colour' was ignored."]);
    }

    [Test]
    public async Task An_id_that_is_not_a_uuid_is_rejected()
    {
        var item = await ReadItemAsync("""{"id": "metric-1", "queryId": "q1", "isEditable": true}""");

        item.Value.ShouldBeNull();
        item.Key.ShouldBe("metric-1");
        item.Problems.ShouldBe(["'id' must be a UUID, not \"metric-1\"."]);
    }

    [Test]
    public async Task A_metric_without_an_id_is_rejected()
    {
        var item = await ReadItemAsync("""{"queryId": "q1", "isEditable": true}""");

        item.Value.ShouldBeNull();
        item.Key.ShouldBeNull();
        item.Problems.ShouldBe(["The metric has no 'id'."]);
    }

    [Test]
    public async Task Every_problem_of_a_metric_is_reported_at_once()
    {
        var item = await ReadItemAsync("""{"id": 12, "queryId": false, "isEditable": "no"}""");

        item.Problems.ShouldBe([
            "'id' must be text, not 12.",
            "'queryId' must be text, not false.",
            "'isEditable' must be true or false, not \"no\".",
        ]);
    }

    [Test]
    public async Task An_item_that_is_not_an_object_is_rejected()
    {
        var item = await ReadItemAsync("\"q1\"");

        item.Value.ShouldBeNull();
        item.Raw.ShouldBe("\"q1\"");
        item.Problems.ShouldBe(["A metric must be a JSON object, not \"q1\"."]);
    }

    [Test]
    public async Task Layout_static_is_kept_as_true_false_or_unsaid()
    {
        var document = await ReadAsync($$"""
            {"items": [], "layouts": {"lg": [
              {"i": "{{First}}", "x": 0, "y": 0, "w": 4, "h": 2, "static": true},
              {"i": "{{First}}", "x": 0, "y": 0, "w": 4, "h": 2, "static": false},
              {"i": "{{First}}", "x": 0, "y": 0, "w": 4, "h": 2, "static": null},
              {"i": "{{First}}", "x": 0, "y": 0, "w": 4, "h": 2}
            ]} }
            """);

        document.Layouts.Select(l => l.Value?.Item.Static).ShouldBe([true, false, null, null]);
        document.Layouts.ShouldAllBe(l => l.Problems.Count == 0);
    }

    [Test]
    public async Task Layout_entries_are_read_per_breakpoint_with_their_positions()
    {
        var document = await ReadAsync($$"""
            {"items": [], "layouts": {
              "lg": [{"i": "{{First}}", "x": 0, "y": 0, "w": 6, "h": 4, "static": false}],
              "md": [
                {"i": "{{First}}", "x": 0, "y": 0, "w": 5, "h": 4},
                {"i": "{{Second}}", "x": 5, "y": 9999999, "w": 5, "h": 3}
              ]
            } }
            """);

        document.Layouts.Select(l => (l.Position, l.Key, l.Value)).ShouldBe([
            ("layouts.lg[0]", First, new LayoutEntry(Guid.Parse(First), new LayoutItem("lg", 0, 0, 6, 4, false))),
            ("layouts.md[0]", First, new LayoutEntry(Guid.Parse(First), new LayoutItem("md", 0, 0, 5, 4, null))),
            ("layouts.md[1]", Second, new LayoutEntry(Guid.Parse(Second), new LayoutItem("md", 5, 9999999, 5, 3, null))),
        ]);
    }

    [TestCase("\"x\": \"1\", \"y\": 0, \"w\": 4, \"h\": 2", "'x' must be a whole number from -2147483648 to 2147483647, not \"1\".")]
    [TestCase("\"x\": 1.5, \"y\": 0, \"w\": 4, \"h\": 2", "'x' must be a whole number from -2147483648 to 2147483647, not 1.5.")]
    [TestCase("\"x\": 0, \"y\": 0, \"h\": 2", "The layout entry has no 'w'.")]
    [TestCase("\"x\": 0, \"y\": 0, \"w\": null, \"h\": 2", "The layout entry has no 'w'.")]
    [TestCase("\"x\": 0, \"y\": 10001, \"w\": 4, \"h\": 2", "y must be between 0 and 10000, or 9999999 for \"bottom\".")]
    [TestCase("\"x\": 0, \"y\": 0, \"w\": 0, \"h\": 2", "w must be between 1 and 1000.")]
    [TestCase("\"x\": 0, \"y\": 0, \"w\": 4, \"h\": 2, \"static\": \"yes\"", "'static' must be true or false, not \"yes\".")]
    public async Task A_layout_entry_with_a_bad_field_is_rejected(string fields, string problem)
    {
        var document = await ReadAsync($$"""{"items": [], "layouts": {"lg": [{"i": "{{First}}", {{fields}} }]} }""");

        var layout = document.Layouts.ShouldHaveSingleItem();
        layout.Value.ShouldBeNull();
        layout.Key.ShouldBe(First);
        layout.Problems.ShouldBe([problem]);
    }

    [Test]
    public async Task A_layout_entry_without_a_metric_id_is_rejected()
    {
        var document = await ReadAsync("""{"items": [], "layouts": {"lg": [{"x": 0, "y": 0, "w": 4, "h": 2}]}}""");

        document.Layouts.ShouldHaveSingleItem().Problems.ShouldBe(["The layout entry has no 'i' (metric id)."]);
    }

    [Test]
    public async Task An_unknown_layout_property_is_ignored_with_a_warning()
    {
        var document = await ReadAsync($$"""{"items": [], "layouts": {"lg": [{"i": "{{First}}", "x": 0, "y": 0, "w": 4, "h": 2, "moved": false}]} }""");

        var layout = document.Layouts.ShouldHaveSingleItem();
        layout.Value.ShouldBe(new LayoutEntry(Guid.Parse(First), new LayoutItem("lg", 0, 0, 4, 2, null)));
        layout.Problems.ShouldBe(["Unknown field 'moved' was ignored."]);
    }

    [Test]
    public async Task A_breakpoint_that_is_not_an_array_is_rejected()
    {
        var document = await ReadAsync("""{"items": [], "layouts": {"lg": {"i": "x"}}}""");

        var layout = document.Layouts.ShouldHaveSingleItem();
        layout.Position.ShouldBe("layouts.lg");
        layout.Value.ShouldBeNull();
        layout.Problems.ShouldBe(["Breakpoint 'lg' must be an array of layout entries, not an object."]);
    }

    [Test]
    public async Task A_byte_order_mark_is_skipped()
    {
        using var file = TempFile.WithText($$"""{"items": [{"id": "{{First}}", "queryId": "q1", "isEditable": true}]}""", byteOrderMark: true);

        var document = await new MetricsJsonReader().ReadAsync(file.FullName, CancellationToken.None);

        document.Items.ShouldHaveSingleItem().Value.ShouldBe(new MetricItem(Guid.Parse(First), "q1", true));
    }

    [TestCase("<metrics/>", "this is not valid JSON (line 1, position 1).")]
    [TestCase("{\"items\": [", "this is not valid JSON (line 1, position 12).")]
    [TestCase("[]", "expected a JSON object with 'items' and 'layouts', found an array.")]
    [TestCase("{}", "expected an 'items' array of metrics.")]
    [TestCase("{\"items\": {}}", "expected an 'items' array of metrics.")]
    [TestCase("{\"items\": [], \"layouts\": []}", "expected 'layouts' to be an object of breakpoints.")]
    public async Task A_file_that_is_not_a_metrics_document_is_reported(string text, string reason)
    {
        using var file = TempFile.WithText(text);

        var error = await Should.ThrowAsync<ImportFileException>(() => new MetricsJsonReader().ReadAsync(file.FullName, CancellationToken.None));

        error.File.ShouldBe(file.FullName);
        error.Message.ShouldBe($"{file.FullName}: {reason}");
    }

    private static async Task<MetricsDocument> ReadAsync(string json)
    {
        using var file = TempFile.WithText(json);
        return await new MetricsJsonReader().ReadAsync(file.FullName, CancellationToken.None);
    }

    private static async Task<SourceItem<MetricItem>> ReadItemAsync(string itemJson) =>
        (await ReadAsync($$"""{"items": [{{itemJson}}]}""")).Items.ShouldHaveSingleItem();

    [TestCase("true", "true", true)]
    [TestCase("false", "false", false)]
    public async Task Both_spellings_of_is_editable_are_read_when_they_agree(string camel, string snake, bool expected)
    {
        var document = await ReadAsync($$$"""{"items": [{"id": "{{{First}}}", "queryId": "q1", "isEditable": {{{camel}}}, "is_editable": {{{snake}}}}], "layouts": {}}""");

        var item = document.Items.ShouldHaveSingleItem();
        item.Value!.IsEditable.ShouldBe(expected);
        item.Problems.ShouldBeEmpty();
    }

    [Test]
    public async Task Disagreeing_spellings_of_is_editable_are_rejected()
    {
        var document = await ReadAsync($$$"""{"items": [{"id": "{{{First}}}", "queryId": "q1", "isEditable": true, "is_editable": false}], "layouts": {}}""");

        var item = document.Items.ShouldHaveSingleItem();
        item.Value.ShouldBeNull();
        item.Problems.ShouldBe(["'isEditable' (true) and 'is_editable' (false) disagree."]);
    }
}
