using MediatR;
using MetricsEngine.Core.Imports;
using MetricsEngine.Crosscutting.Options;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// Import the definition and record files. Deliberately not an <c>ICommand</c>: each file is
/// imported in a transaction of its own (a broken records file must not undo good definitions),
/// so the handler owns its transactions. A dry run does all the work and rolls every file back.
/// </summary>
public sealed record RunImportCommand(ImportFiles Files, bool DryRun) : IRequest<ImportRun>;

/// <summary>The files to import; a null path skips that kind.</summary>
public sealed record ImportFiles(string? QueriesFile, string? MetricsFile, string? RecordsFile)
{
    public static ImportFiles From(ImportOptions options) =>
        new(options.QueriesFile, options.MetricsFile, options.RecordsFile);

    public IEnumerable<string> Configured => new[] { QueriesFile, MetricsFile, RecordsFile }.OfType<string>();
}
