using MetricsEngine.Application.Imports;
using MetricsEngine.Core.Records;
using MetricsEngine.Infrastructure.Importing;

namespace MetricsEngine.UnitTests.Importing;

public sealed class RecordsJsonReaderTests
{
    private static readonly DateTime June3Utc = new(2025, 6, 3, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task Records_are_read_with_their_positions_keys_and_raw_text()
    {
        var items = await ReadAsync("""
            [
              {"id": "q1", "date": "2025-06-03T00:00:00", "obsolescence": 12.5},
              {"id": "q2", "date": "2025-06-03T00:00:00", "parts_flagged": 3, "alert_type": "Critical", "alert_category": "Supply"}
            ]
            """);

        items.Select(i => (i.Position, i.Key, i.Value)).ShouldBe([
            ("[0]", "q1", new RecordRow("q1", June3Utc, new Measures(Obsolescence: 12.5m))),
            ("[1]", "q2", new RecordRow("q2", June3Utc, new Measures(PartsFlagged: 3, AlertType: "Critical", AlertCategory: "Supply"))),
        ]);
        items.ShouldAllBe(i => i.Problems.Count == 0);
        items[0].Raw.ShouldBe("""{"id": "q1", "date": "2025-06-03T00:00:00", "obsolescence": 12.5}""");
    }

    [TestCase("2025-06-03T00:00:00")]
    [TestCase("2025-06-03T00:00:00Z")]
    [TestCase("2025-06-03T02:00:00+02:00")]
    [TestCase("2025-06-02T19:00:00-05:00")]
    [TestCase("2025-06-03T00:00:00.000")]
    [TestCase("2025-06-03T00:00")]
    [TestCase("2025-06-03 00:00:00")]
    [TestCase("2025-06-03")]
    public async Task Dates_are_read_as_utc(string date)
    {
        var record = await ReadRecordAsync($$"""{"id": "q1", "date": "{{date}}", "obsolescence": 1}""");

        record.Value.ShouldNotBeNull().DateUtc.ShouldBe(June3Utc);
        record.Value.DateUtc.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Test]
    public async Task Fractions_of_a_second_are_kept()
    {
        var record = await ReadRecordAsync("""{"id": "q1", "date": "2025-06-03T10:15:30.1234567Z", "obsolescence": 1}""");

        record.Value.ShouldNotBeNull().DateUtc.ShouldBe(new DateTime(2025, 6, 3, 10, 15, 30, DateTimeKind.Utc).AddTicks(1_234_567));
    }

    [TestCase("03/06/2025")]
    [TestCase("2025-6-3")]
    [TestCase("2025-02-30")]
    [TestCase("June 3, 2025")]
    [TestCase("")]
    public async Task Dates_that_are_not_iso_8601_are_rejected(string date)
    {
        var record = await ReadRecordAsync($$"""{"id": "q1", "date": "{{date}}", "obsolescence": 1}""");

        record.Value.ShouldBeNull();
        record.Key.ShouldBe("q1");
        record.Problems.ShouldBe([$"'date' must be an ISO 8601 date such as 2025-06-03T00:00:00, not \"{date}\"."]);
    }

    [TestCase("\"parts_flagged\": \"three\"", "'parts_flagged' must be a whole number from -2147483648 to 2147483647, not \"three\".")]
    [TestCase("\"parts_flagged\": 1.5", "'parts_flagged' must be a whole number from -2147483648 to 2147483647, not 1.5.")]
    [TestCase("\"parts_flagged\": 3000000000", "'parts_flagged' must be a whole number from -2147483648 to 2147483647, not 3000000000.")]
    [TestCase("\"obsolescence\": \"12\"", "'obsolescence' must be a number, not \"12\".")]
    [TestCase("\"obsolescence_val\": true", "'obsolescence_val' must be a number, not true.")]
    [TestCase("\"alert_type\": 5", "'alert_type' must be text, not 5.")]
    [TestCase("\"alert_category\": [\"a\"]", "'alert_category' must be text, not an array.")]
    public async Task A_measure_of_the_wrong_type_is_rejected(string measure, string problem)
    {
        var record = await ReadRecordAsync($$"""{"id": "q1", "date": "2025-06-03", {{measure}} }""");

        record.Value.ShouldBeNull();
        record.Problems.ShouldBe([problem]);
    }

    [TestCase("")]
    [TestCase(", \"obsolescence\": null")]
    [TestCase(", \"obsolescence\": null, \"alert_type\": null")]
    public async Task A_record_without_a_measure_is_rejected(string measures)
    {
        var record = await ReadRecordAsync($$"""{"id": "q1", "date": "2025-06-03"{{measures}} }""");

        record.Value.ShouldBeNull();
        record.Problems.ShouldBe(["The record has no measure (obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category)."]);
    }

    [Test]
    public async Task A_null_measure_is_treated_as_absent()
    {
        var record = await ReadRecordAsync("""{"id": "q1", "date": "2025-06-03", "obsolescence": null, "alert_type": "Warning"}""");

        record.Value.ShouldBe(new RecordRow("q1", June3Utc, new Measures(AlertType: "Warning")));
        record.Problems.ShouldBeEmpty();
    }

    [Test]
    public async Task An_unknown_field_is_ignored_with_a_warning()
    {
        var record = await ReadRecordAsync("""{"id": "q1", "date": "2025-06-03", "obsolescence": 2, "severity": "high"}""");

        record.Value.ShouldBe(new RecordRow("q1", June3Utc, new Measures(Obsolescence: 2m)));
        record.Problems.ShouldBe(["Unknown field 'severity' was ignored."]);
    }

    [TestCase("""{"date": "2025-06-03", "obsolescence": 1}""", "The record has no 'id' (query id).")]
    [TestCase("""{"id": null, "date": "2025-06-03", "obsolescence": 1}""", "The record has no 'id' (query id).")]
    [TestCase("""{"id": "  ", "date": "2025-06-03", "obsolescence": 1}""", "The record's 'id' (query id) is blank.")]
    [TestCase("""{"id": 7, "date": "2025-06-03", "obsolescence": 1}""", "'id' must be text, not 7.")]
    [TestCase("""{"id": "q1", "obsolescence": 1}""", "The record has no 'date'.")]
    [TestCase("""{"id": "q1", "date": 20250603, "obsolescence": 1}""", "'date' must be text, not 20250603.")]
    [TestCase("""["q1", "2025-06-03", 1]""", "A record must be a JSON object, not an array.")]
    [TestCase("""null""", "A record must be a JSON object, not null.")]
    public async Task A_record_without_a_usable_query_id_or_date_is_rejected(string json, string problem)
    {
        var record = await ReadRecordAsync(json);

        record.Value.ShouldBeNull();
        record.Problems.ShouldBe([problem]);
    }

    [Test]
    public async Task The_query_id_is_trimmed()
    {
        var record = await ReadRecordAsync("""{"id": " q1 ", "date": "2025-06-03", "obsolescence": 1}""");

        record.Key.ShouldBe("q1");
        record.Value.ShouldNotBeNull().QueryId.ShouldBe("q1");
    }

    [Test]
    public async Task A_rejected_record_does_not_stop_the_records_after_it()
    {
        var items = await ReadAsync("""
            [
              {"id": "q1", "date": "03/06/2025", "obsolescence": 1},
              {"id": "q1", "date": "2025-06-03", "obsolescence": 1}
            ]
            """);

        items.Select(i => (i.Position, i.Value is null)).ShouldBe([("[0]", true), ("[1]", false)]);
    }

    [Test]
    public async Task A_byte_order_mark_is_skipped()
    {
        using var file = TempFile.WithText("""[{"id": "q1", "date": "2025-06-03", "obsolescence": 1}]""", byteOrderMark: true);

        var items = await ReadFileAsync(file.FullName);

        items.ShouldHaveSingleItem().Value.ShouldBe(new RecordRow("q1", June3Utc, new Measures(Obsolescence: 1m)));
    }

    [Test]
    public async Task An_empty_array_has_no_records()
    {
        var items = await ReadAsync("[]");

        items.ShouldBeEmpty();
    }

    [TestCase("""{"id": "q1", "date": "2025-06-03", "obsolescence": 1}""")]
    [TestCase("""{"records": []}""")]
    public async Task A_top_level_object_is_not_a_records_file(string json)
    {
        using var file = TempFile.WithText(json);

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(file.FullName));

        error.File.ShouldBe(file.FullName);
        error.Message.ShouldBe($"{file.FullName}: this is not a JSON array of records.");
    }

    [Test]
    public async Task Malformed_json_after_some_records_fails_the_whole_file()
    {
        using var file = TempFile.WithText("""
            [
              {"id": "q1", "date": "2025-06-03", "obsolescence": 1},
              {"id": "q1", "date": "2025-06-04", "obsolescence": 2},
              {"id": "q1", "date": "2025-06-05", "obsolescence": 3,,}
            ]
            """);

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(file.FullName));

        error.File.ShouldBe(file.FullName);
        error.Message.ShouldEndWith("nothing from this file was kept.");
    }

    private static async Task<SourceItem<RecordRow>> ReadRecordAsync(string recordJson) =>
        (await ReadAsync($"[{recordJson}]")).ShouldHaveSingleItem();

    private static async Task<List<SourceItem<RecordRow>>> ReadAsync(string json)
    {
        using var file = TempFile.WithText(json);
        return await ReadFileAsync(file.FullName);
    }

    private static async Task<List<SourceItem<RecordRow>>> ReadFileAsync(string path)
    {
        var items = new List<SourceItem<RecordRow>>();
        await foreach (var item in new RecordsJsonReader().ReadAsync(path, CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    [Test]
    public async Task A_syntax_error_in_single_line_json_is_reported_as_malformed_not_as_not_an_array()
    {
        using var file = TempFile.WithText("""[{"id": "q1", "date": "2025-06-03", "obsolescence": 1},{"id": "q1", "date": "2025-06-04", "obsolescence": 2},{"id": ,}]""");

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(file.FullName));

        error.Message.ShouldEndWith("the JSON is malformed at line 1, position 117; nothing from this file was kept.");
    }

    [Test]
    public async Task A_syntax_error_is_reported_at_its_line()
    {
        using var file = TempFile.WithText("""
            [
              {"id": "q1", "date": "2025-06-03", "obsolescence": 1},
              {"id": "q1", "date": "2025-06-04", "obsolescence": 2},
              {"id": "q1", "date": "2025-06-05", "obsolescence": 3,,}
            ]
            """);

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(file.FullName));

        error.Message.ShouldContain("the JSON is malformed at line 4,");
    }
}
