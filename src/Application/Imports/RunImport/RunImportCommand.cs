using MediatR;
using MetricsEngine.Core.Imports;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// Import the definition and record files. Deliberately not an <c>ICommand</c>: each file is
/// imported in a transaction of its own (a broken records file must not undo good definitions),
/// so the handler owns its transactions. A dry run does all the work and rolls every file back.
/// </summary>
public sealed record RunImportCommand(ImportFiles Files, bool DryRun, IProgress<ImportProgress>? Progress = null) : IRequest<ImportRun>;

/// <summary>How far a long file has got: reported every <see cref="Every"/> records and at its end.</summary>
public sealed record ImportProgress(string File, long Read, TimeSpan Elapsed, bool Done)
{
    public const int Every = 100_000;

    public double PerSecond => Elapsed.TotalSeconds > 0 ? Read / Elapsed.TotalSeconds : 0;
}

/// <summary>The files to import; a null path skips that kind.</summary>
public sealed record ImportFiles(string? QueriesFile, string? MetricsFile, string? RecordsFile)
{
    public static ImportFiles From(ImportOptions options) =>
        new(options.QueriesFile, options.MetricsFile, options.RecordsFile);

    public IEnumerable<string> Configured => new[] { QueriesFile, MetricsFile, RecordsFile }.OfType<string>();
}
