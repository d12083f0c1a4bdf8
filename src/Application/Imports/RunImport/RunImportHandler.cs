using MediatR;
using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Queries;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// Loads everything that can be loaded and reports everything that cannot (docs/product.md#import-files). Queries go
/// first because metrics name them, metrics next because layouts name them, records last. Each
/// file is imported in its own transaction; re-running with the same files changes nothing.
/// </summary>
internal sealed class RunImportHandler(
    IUnitOfWork unitOfWork,
    QueriesImport queries,
    MetricsImport metrics,
    RecordsImport records,
    TimeProvider clock,
    ILogger<RunImportHandler> logger) : IRequestHandler<RunImportCommand, ImportRun>
{
    public async Task<ImportRun> Handle(RunImportCommand request, CancellationToken cancellationToken)
    {
        var files = request.Files;
        EnsureAvailable(files);

        // A dry run sees its own earlier files (metrics name queries it has just "added"), so it
        // runs every file in one transaction that is never committed.
        await using var dryRun = request.DryRun ? await unitOfWork.BeginTransactionAsync(cancellationToken) : null;
        var run = ImportRun.Start(Guid.CreateVersion7(), clock.GetUtcNow(), request.DryRun);
        var import = new ImportSession(run, (await unitOfWork.Queries.GetAllAsync(cancellationToken))
            .ToDictionary(q => q.Key, q => QueryTemplate.TitleOf(q.Value.Sql), StringComparer.Ordinal));
        var counts = new ImportCounts();

        if (files.QueriesFile is { } queriesFile)
        {
            counts = counts with { Queries = await InFileTransactionAsync("queries", request.DryRun, () => queries.RunAsync(queriesFile, import, cancellationToken), cancellationToken) };
        }

        if (files.MetricsFile is { } metricsFile)
        {
            var (metricCounts, layoutCounts) = await InFileTransactionAsync("metrics", request.DryRun, () => metrics.RunAsync(metricsFile, import, cancellationToken), cancellationToken);
            counts = counts with { Metrics = metricCounts, Layouts = layoutCounts };
        }

        if (files.RecordsFile is { } recordsFile)
        {
            counts = counts with { Records = await InFileTransactionAsync("records", request.DryRun, () => records.RunAsync(recordsFile, import, request.Progress, cancellationToken), cancellationToken) };
        }

        run.Finish(counts, clock.GetUtcNow());
        if (!request.DryRun)
        {
            unitOfWork.ImportRuns.Add(run);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        ImportTelemetry.Count(counts, request.DryRun);

        // :l renders the text as is, without quotes, in the message people read.
        logger.LogInformation(
            "Import {ImportRunId} finished ({Outcome:l}): {Counts:l}; {IssueCount} issue(s)",
            run.Id, request.DryRun ? "dry run, nothing kept" : "kept", Describe(counts), run.Issues.Count);
        return run;
    }

    /// <summary>Every configured location can be read, or nothing is imported.</summary>
    private void EnsureAvailable(ImportFiles files)
    {
        // In the order the files were always checked: queries, metrics, records.
        if (files.QueriesFile is { } queriesFile)
        {
            queries.EnsureAvailable(queriesFile);
        }

        if (files.MetricsFile is { } metricsFile)
        {
            metrics.EnsureAvailable(metricsFile);
        }

        if (files.RecordsFile is { } recordsFile)
        {
            records.EnsureAvailable(recordsFile);
        }
    }

    /// <summary>The counts as a person reads them in a log line, one clause per file imported.</summary>
    private static string Describe(ImportCounts counts)
    {
        var kinds = new (string Name, ItemCounts? Counts)[]
            {
                ("queries", counts.Queries), ("metrics", counts.Metrics), ("layouts", counts.Layouts), ("records", counts.Records),
            }
            .Where(kind => kind.Counts is not null)
            .Select(kind => $"{kind.Name} {kind.Counts!.Read} read, {kind.Counts.Added} added, {kind.Counts.Updated} updated, " +
                $"{kind.Counts.Unchanged} unchanged, {kind.Counts.Rejected} rejected")
            .ToList();
        return kinds.Count == 0 ? "no file" : string.Join("; ", kinds);
    }

    private async Task<T> InFileTransactionAsync<T>(string file, bool dryRun, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        using var span = ImportTelemetry.StartFile(file, dryRun);
        if (dryRun)
        {
            var preview = await step();
            await unitOfWork.SaveChangesAsync(cancellationToken);
            unitOfWork.DiscardChanges();
            return preview;
        }

        await using var transaction = await unitOfWork.BeginTransactionAsync(cancellationToken);
        var result = await step();

        // A file can touch any query or metric: everything may have changed once it commits.
        unitOfWork.Changed(Change.Everything);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        unitOfWork.DiscardChanges();
        return result;
    }
}
