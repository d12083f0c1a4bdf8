using MetricsEngine.Application.Imports;
using MetricsEngine.Infrastructure.Importing;

namespace MetricsEngine.UnitTests.Importing;

public sealed class QueriesCsvReaderTests
{
    [Test]
    public async Task Rows_are_read_with_the_physical_lines_they_occupy()
    {
        var items = await ReadAsync(
            "id,query\n" +
            "q1,SELECT 1\n" +
            "q2,\"-- Alerts\n" +
            "SELECT *\n" +
            "FROM metrics\n" +
            "WHERE id = 'q2';\"\n" +
            "q3,\"SELECT 3\"\n");

        items.Select(i => (i.Position, i.Key, i.Value)).ShouldBe([
            ("line 2", "q1", new QueryRow("q1", "SELECT 1")),
            ("lines 3-6", "q2", new QueryRow("q2", "-- Alerts\nSELECT *\nFROM metrics\nWHERE id = 'q2';")),
            ("line 7", "q3", new QueryRow("q3", "SELECT 3")),
        ]);
        items.ShouldAllBe(i => i.Problems.Count == 0);
    }

    [Test]
    public async Task The_raw_text_of_a_row_is_kept_without_its_line_end()
    {
        var items = await ReadAsync("id,query\nq1,\"SELECT 1\nFROM t\"\n");

        items.ShouldHaveSingleItem().Raw.ShouldBe("q1,\"SELECT 1\nFROM t\"");
    }

    [Test]
    public async Task Windows_line_ends_are_read_like_unix_ones()
    {
        var items = await ReadAsync("id,query\r\nq1,SELECT 1\r\nq2,\"SELECT 2\r\nFROM t\"\r\nq3,SELECT 3\r\n");

        items.Select(i => (i.Position, i.Value?.Id)).ShouldBe([("line 2", "q1"), ("lines 3-4", "q2"), ("line 5", "q3")]);
        items[0].Raw.ShouldBe("q1,SELECT 1");
        items[1].Value!.Sql.ShouldBe("SELECT 2\r\nFROM t");
    }

    [Test]
    public async Task A_byte_order_mark_does_not_hide_the_header()
    {
        var items = await ReadAsync("id,query\nq1,SELECT 1\n", byteOrderMark: true);

        items.ShouldHaveSingleItem().Value.ShouldBe(new QueryRow("q1", "SELECT 1"));
    }

    [Test]
    public async Task Doubled_quotes_in_a_quoted_field_are_one_quote()
    {
        var items = await ReadAsync("id,query\nq1,\"SELECT alert_type AS \"\"Type\"\" FROM metrics\"\n");

        items.ShouldHaveSingleItem().Value.ShouldBe(new QueryRow("q1", "SELECT alert_type AS \"Type\" FROM metrics"));
    }

    [Test]
    public async Task The_last_row_needs_no_line_end()
    {
        var items = await ReadAsync("id,query\nq1,SELECT 1");

        items.ShouldHaveSingleItem().Value.ShouldBe(new QueryRow("q1", "SELECT 1"));
    }

    [Test]
    public async Task Header_names_are_matched_whatever_their_case_order_or_padding()
    {
        var items = await ReadAsync(" Query , ID \nSELECT 1,q1\n");

        items.ShouldHaveSingleItem().Value.ShouldBe(new QueryRow("q1", "SELECT 1"));
    }

    [Test]
    public async Task The_id_is_trimmed()
    {
        var items = await ReadAsync("id,query\n  q1  ,SELECT 1\n");

        items.ShouldHaveSingleItem().Value!.Id.ShouldBe("q1");
    }

    [Test]
    public async Task A_whitespace_only_line_between_rows_is_skipped()
    {
        var items = await ReadAsync("id,query\nq1,SELECT 1\n   \nq2,SELECT 2\n");

        items.Select(i => (i.Position, i.Value?.Id)).ShouldBe([("line 2", "q1"), ("line 4", "q2")]);
    }

    [Test]
    public async Task A_row_with_broken_quoting_is_rejected_and_reading_goes_on()
    {
        var items = await ReadAsync("id,query\nq1,\"SELECT \"x\" FROM t\"\nq2,SELECT 2\n");

        items.Select(i => (i.Position, i.Key, i.Value)).ShouldBe([("line 2", "q1", null), ("line 3", "q2", new QueryRow("q2", "SELECT 2"))]);
        items[0].Problems.ShouldBe(["Malformed CSV quoting near \"\"SELECT \"x\" FROM t\"\"."]);
    }

    [Test]
    public async Task A_row_without_the_query_field_is_rejected()
    {
        var items = await ReadAsync("id,query\nq1\n");

        var item = items.ShouldHaveSingleItem();
        item.Value.ShouldBeNull();
        item.Position.ShouldBe("line 2");
        item.Key.ShouldBe("q1");
        item.Raw.ShouldBe("q1");
        item.Problems.ShouldBe(["The row has 1 field(s) but the header names 2; the query is missing."]);
    }

    [TestCase("q1,")]
    [TestCase("q1,\"   \"")]
    [TestCase("q1,\"\n\"")]
    public async Task A_row_with_blank_sql_is_rejected(string row)
    {
        var items = await ReadAsync("id,query\n" + row + "\n");

        var item = items.ShouldHaveSingleItem();
        item.Value.ShouldBeNull();
        item.Key.ShouldBe("q1");
        item.Problems.ShouldBe(["Query 'q1' has no SQL."]);
    }

    [TestCase(",SELECT 1")]
    [TestCase("  ,SELECT 1")]
    public async Task A_row_without_an_id_is_rejected(string row)
    {
        var items = await ReadAsync("id,query\n" + row + "\n");

        var item = items.ShouldHaveSingleItem();
        item.Value.ShouldBeNull();
        item.Key.ShouldBeNull();
        item.Problems.ShouldBe(["The row has no query id."]);
    }

    [Test]
    public async Task A_rejected_row_does_not_stop_the_rows_after_it()
    {
        var items = await ReadAsync("id,query\nq1\nq2,SELECT 2\n");

        items.Select(i => (i.Position, i.Value)).ShouldBe([("line 2", null), ("line 3", new QueryRow("q2", "SELECT 2"))]);
    }

    [Test]
    public async Task Extra_fields_are_ignored_with_a_warning()
    {
        var items = await ReadAsync("id,query\nq1,SELECT 1,extra\n");

        var item = items.ShouldHaveSingleItem();
        item.Value.ShouldBe(new QueryRow("q1", "SELECT 1"));
        item.Problems.ShouldBe(["The row has 3 fields but the header names 2; the extra fields were ignored."]);
    }

    [Test]
    public async Task A_header_only_file_has_no_rows()
    {
        var items = await ReadAsync("id,query\n");

        items.ShouldBeEmpty();
    }

    [TestCase("q1,SELECT 1\n")]
    [TestCase("id,sql\nq1,SELECT 1\n")]
    [TestCase("{\"items\": []}")]
    public async Task A_file_without_the_header_is_not_a_queries_csv(string text)
    {
        using var file = TempFile.WithText(text);

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(file.FullName));

        error.File.ShouldBe(file.FullName);
        error.Message.ShouldStartWith($"{file.FullName}: this is not a queries CSV: the first line must be the header 'id,query'");
    }

    [Test]
    public async Task An_empty_file_is_reported_as_empty()
    {
        using var file = TempFile.WithText("");

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(file.FullName));

        error.Message.ShouldBe($"{file.FullName}: the file is empty; expected a CSV header 'id,query'.");
    }

    [Test]
    public async Task A_missing_file_is_reported_with_its_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.csv");

        var error = await Should.ThrowAsync<ImportFileException>(() => ReadFileAsync(path));

        error.File.ShouldBe(path);
        error.Message.ShouldStartWith($"{path}: the file cannot be opened (");
    }

    private static async Task<List<SourceItem<QueryRow>>> ReadAsync(string text, bool byteOrderMark = false)
    {
        using var file = TempFile.WithText(text, byteOrderMark);
        return await ReadFileAsync(file.FullName);
    }

    private static async Task<List<SourceItem<QueryRow>>> ReadFileAsync(string path)
    {
        var items = new List<SourceItem<QueryRow>>();
        await foreach (var item in new QueriesCsvReader().ReadAsync(path, CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    [Test]
    public async Task A_blank_line_between_rows_is_skipped_without_shifting_positions()
    {
        var items = await ReadAsync("id,query\nq1,SELECT 1\n\nq2,SELECT 2\n\n\nq3,\"SELECT 3\nFROM t\"\n");

        items.Select(i => (i.Position, i.Value?.Id)).ShouldBe([("line 2", "q1"), ("line 4", "q2"), ("lines 7-8", "q3")]);
    }
}
