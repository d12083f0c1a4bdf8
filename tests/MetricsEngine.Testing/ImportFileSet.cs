using System.Globalization;
using System.Text;
using System.Text.Json;
using MetricsEngine.Application.Imports.RunImport;

namespace MetricsEngine.Testing;

/// <summary>Import files written to a temporary directory, so each test shows the data it imports.</summary>
public sealed class ImportFileSet : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"metricsengine-import-{Guid.NewGuid():N}");

    public ImportFileSet() => Directory.CreateDirectory(_directory);

    public string? QueriesFile { get; private set; }
    public string? MetricsFile { get; private set; }
    public string? RecordsFile { get; private set; }

    public ImportFiles Files => new(QueriesFile, MetricsFile, RecordsFile);

    /// <summary>queries.csv with the header <c>id,query</c>; every field quoted as real exports do.</summary>
    public ImportFileSet Queries(params (string Id, string Sql)[] queries)
    {
        var csv = new StringBuilder("id,query\n");
        foreach (var (id, sql) in queries)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(id)},{Quote(sql)}\n");
        }

        return QueriesCsv(csv.ToString());
    }

    public ImportFileSet QueriesCsv(string content)
    {
        QueriesFile = Write("queries.csv", content);
        return this;
    }

    public ImportFileSet Metrics(object document) => MetricsJson(JsonSerializer.Serialize(document));

    public ImportFileSet MetricsJson(string content)
    {
        MetricsFile = Write("metrics.json", content);
        return this;
    }

    public ImportFileSet Records(params object[] records) => RecordsJson(JsonSerializer.Serialize(records));

    public ImportFileSet RecordsJson(string content)
    {
        RecordsFile = Write("metric_records.json", content);
        return this;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Quote(string field) => $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
