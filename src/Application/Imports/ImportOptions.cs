namespace MetricsEngine.Application.Imports;

/// <summary>Where the definition and record files live (configuration section <c>Import</c>).</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Import";

    public string? MetricsFile { get; set; }
    public string? QueriesFile { get; set; }
    public string? RecordsFile { get; set; }

    /// <summary>Import the files when the host starts (default on in Development).</summary>
    public bool OnStartup { get; set; }
}
