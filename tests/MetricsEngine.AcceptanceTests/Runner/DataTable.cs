namespace MetricsEngine.AcceptanceTests.Runner;

/// <summary>A step's table: the first row is the header. Mirrors the parts of Reqnroll's DataTable the steps use.</summary>
public sealed class DataTable
{
    public DataTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        Header = header;
        Rows = [.. rows.Select(cells => cells.Count == header.Count
            ? new DataTableRow(this, cells)
            : throw new ArgumentException($"A table row has {cells.Count} cells but the header has {header.Count}.", nameof(rows)))];
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<DataTableRow> Rows { get; }
    public int RowCount => Rows.Count;

    /// <summary>The table as Gherkin writes it, for messages.</summary>
    public override string ToString() =>
        string.Join('\n', new[] { Header }.Concat(Rows.Select(r => r.Values)).Select(cells => "| " + string.Join(" | ", cells) + " |"));
}

public sealed class DataTableRow(DataTable table, IReadOnlyList<string> values)
{
    public IReadOnlyList<string> Values { get; } = values;

    public string this[int index] => Values[index];

    public string this[string column]
    {
        get
        {
            var index = table.Header.ToList().IndexOf(column);
            return index >= 0
                ? Values[index]
                : throw new KeyNotFoundException($"The table has no column '{column}'; its columns are {string.Join(", ", table.Header)}.");
        }
    }
}
