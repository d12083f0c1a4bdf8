using System.Runtime.CompilerServices;
using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Core.Records;
using MetricsEngine.Crosscutting.Errors;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// Loads everything that can be loaded and reports everything that cannot (SPEC §3). Queries go
/// first because metrics name them, metrics next because layouts name them, records last.
/// Re-running with the same files changes nothing.
/// </summary>
public sealed class RunImportHandler(
    IUnitOfWork unitOfWork,
    IImportFileReader reader,
    ISqlValidator validator,
    TimeProvider clock,
    ILogger<RunImportHandler> logger) : IRequestHandler<RunImportCommand, ImportRun>
{
    public async Task<ImportRun> Handle(RunImportCommand request, CancellationToken cancellationToken)
    {
        var files = request.Files;
        foreach (var path in files.Configured)
        {
            if (!File.Exists(path))
            {
                throw new ImportFileException(path, "the file does not exist.");
            }
        }

        // A dry run sees its own earlier files (metrics name queries it has just "added"), so it
        // runs every file in one transaction that is never committed.
        await using var dryRun = request.DryRun ? await unitOfWork.BeginTransactionAsync(cancellationToken) : null;
        var run = ImportRun.Start(Guid.CreateVersion7(), clock.GetUtcNow(), request.DryRun);
        var import = new ImportSession(run);
        var rejectedQueries = new HashSet<string>(StringComparer.Ordinal);
        var counts = new ImportCounts();

        // Titles of every query a metric may name: stored ones plus those this import accepts.
        var queryTitles = (await unitOfWork.Queries.GetAllAsync(cancellationToken))
            .ToDictionary(q => q.Key, q => QueryTemplate.TitleOf(q.Value.Sql), StringComparer.Ordinal);

        if (files.QueriesFile is { } queriesFile)
        {
            counts = counts with
            {
                Queries = await InFileTransactionAsync(request.DryRun,
                    () => ImportQueriesAsync(queriesFile, import, queryTitles, rejectedQueries, cancellationToken), cancellationToken),
            };
        }

        if (files.MetricsFile is { } metricsFile)
        {
            var (metrics, layouts) = await InFileTransactionAsync(request.DryRun,
                () => ImportMetricsAsync(metricsFile, import, queryTitles, rejectedQueries, cancellationToken), cancellationToken);
            counts = counts with { Metrics = metrics, Layouts = layouts };
        }

        if (files.RecordsFile is { } recordsFile)
        {
            counts = counts with
            {
                Records = await InFileTransactionAsync(request.DryRun,
                    () => ImportRecordsAsync(recordsFile, import, queryTitles.Keys.ToHashSet(StringComparer.Ordinal), cancellationToken),
                    cancellationToken),
            };
        }

        run.Finish(counts, clock.GetUtcNow());
        if (!request.DryRun)
        {
            unitOfWork.ImportRuns.Add(run);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation(
            "Import {ImportRunId} finished with {IssueCount} issue(s) (dry run: {DryRun}); counts {@Counts}",
            run.Id, run.Issues.Count, request.DryRun, counts);
        return run;
    }

    private async Task<T> InFileTransactionAsync<T>(bool dryRun, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            var preview = await step();
            await unitOfWork.SaveChangesAsync(cancellationToken);
            unitOfWork.DiscardChanges();
            return preview;
        }

        await using var transaction = await unitOfWork.BeginTransactionAsync(cancellationToken);
        var result = await step();
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        unitOfWork.DiscardChanges();
        return result;
    }

    private async Task<ItemCounts> ImportQueriesAsync(
        string path, ImportSession import, Dictionary<string, string?> queryTitles, HashSet<string> rejectedQueries,
        CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var stored = await unitOfWork.Queries.GetAllAsync(cancellationToken);
        var firstSeenAt = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new Counter();
        await foreach (var item in reader.ReadQueriesAsync(path, cancellationToken))
        {
            counts.Read++;
            if (!import.Accept(file, item, counts) || item.Value is not { } row)
            {
                continue;
            }

            if (firstSeenAt.TryGetValue(row.Id, out var first))
            {
                import.Reject(file, item, counts,
                    $"Duplicate query id '{row.Id}': {first} already defines it, so this row was ignored.");
                continue;
            }

            firstSeenAt[row.Id] = item.Position;
            var template = QueryTemplate.Parameterise(row.Sql);
            try
            {
                await validator.ValidateAsync(template, cancellationToken);
            }
            catch (QueryRejectedException rejected)
            {
                import.Reject(file, item, counts, $"Query '{row.Id}' was rejected: {rejected.Message}");
                rejectedQueries.Add(row.Id);
                continue;
            }

            if (stored.TryGetValue(row.Id, out var existing))
            {
                counts.Changed(existing.Update(template));
            }
            else
            {
                unitOfWork.Queries.Add(StoredQuery.Create(row.Id, template));
                counts.Added++;
            }

            queryTitles[row.Id] = template.Title;
        }

        return counts.ToCounts();
    }

    private async Task<(ItemCounts Metrics, ItemCounts Layouts)> ImportMetricsAsync(
        string path, ImportSession import, Dictionary<string, string?> queryTitles, HashSet<string> rejectedQueries,
        CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var document = await reader.ReadMetricsAsync(path, cancellationToken);
        var accepted = AcceptMetrics(file, document.Items, import, queryTitles, rejectedQueries, out var metricCounts);
        var layouts = AcceptLayouts(file, document, accepted, import, out var layoutCounts);

        var stored = await unitOfWork.Metrics.GetAllAsync(cancellationToken);
        foreach (var (id, item) in accepted)
        {
            var metricLayouts = layouts.GetValueOrDefault(id) ?? [];
            var title = queryTitles[item.QueryId] ?? $"Query {item.QueryId}";
            bool? changed = null;
            if (stored.TryGetValue(id, out var metric))
            {
                changed = metric.Redefine(title, item.QueryId, item.IsEditable, metricLayouts);
                metricCounts.Changed(changed.Value);
            }
            else
            {
                unitOfWork.Metrics.Add(Metric.Create(id, title, item.QueryId, item.IsEditable, metricLayouts));
                metricCounts.Added++;
            }

            // A layout is as new, changed or unchanged as the metric it belongs to.
            for (var i = 0; i < metricLayouts.Count; i++)
            {
                if (changed is null)
                {
                    layoutCounts.Added++;
                }
                else
                {
                    layoutCounts.Changed(changed.Value);
                }
            }
        }

        return (metricCounts.ToCounts(), layoutCounts.ToCounts());
    }

    private static Dictionary<Guid, MetricItem> AcceptMetrics(
        string file, IReadOnlyList<SourceItem<MetricItem>> items, ImportSession import,
        Dictionary<string, string?> queryTitles, HashSet<string> rejectedQueries, out Counter counts)
    {
        counts = new Counter();
        var accepted = new Dictionary<Guid, (MetricItem Item, string Position)>();
        foreach (var item in items)
        {
            counts.Read++;
            if (!import.Accept(file, item, counts) || item.Value is not { } metric)
            {
                continue;
            }

            if (accepted.TryGetValue(metric.Id, out var first))
            {
                var difference = first.Item.QueryId == metric.QueryId
                    ? "with the same query"
                    : $"with query '{metric.QueryId}' instead of '{first.Item.QueryId}'";
                import.Reject(file, item, counts,
                    $"Duplicate metric id {metric.Id} ({difference}): the first definition at {first.Position} wins, this one was ignored.");
                continue;
            }

            if (!queryTitles.ContainsKey(metric.QueryId))
            {
                import.Reject(file, item, counts, rejectedQueries.Contains(metric.QueryId)
                    ? $"Metric {metric.Id} names query '{metric.QueryId}', which was rejected (see that query's issue); the metric was not loaded."
                    : $"Metric {metric.Id} names query '{metric.QueryId}', which is neither in the queries file nor stored; the metric was not loaded.");
                continue;
            }

            accepted[metric.Id] = (metric, item.Position);
        }

        return accepted.ToDictionary(a => a.Key, a => a.Value.Item);
    }

    private static Dictionary<Guid, List<LayoutItem>> AcceptLayouts(
        string file, MetricsDocument document, Dictionary<Guid, MetricItem> metrics, ImportSession import, out Counter counts)
    {
        counts = new Counter();
        var named = document.Items.Select(i => i.Value?.Id).OfType<Guid>().ToHashSet();
        var layouts = new Dictionary<Guid, List<LayoutItem>>();
        foreach (var entry in document.Layouts)
        {
            counts.Read++;
            if (!import.Accept(file, entry, counts) || entry.Value is not { } layout)
            {
                continue;
            }

            if (!metrics.ContainsKey(layout.MetricId))
            {
                import.Reject(file, entry, counts, named.Contains(layout.MetricId)
                    ? $"Layout for metric {layout.MetricId}, which was not loaded (see that metric's issue)."
                    : $"Layout names metric {layout.MetricId}, which is not among the items.");
                continue;
            }

            var forMetric = layouts.TryGetValue(layout.MetricId, out var list) ? list : layouts[layout.MetricId] = [];
            if (forMetric.Any(l => l.Breakpoint == layout.Item.Breakpoint))
            {
                import.Reject(file, entry, counts,
                    $"Metric {layout.MetricId} already has a '{layout.Item.Breakpoint}' layout earlier in the file; this one was ignored.");
                continue;
            }

            forMetric.Add(layout.Item);
        }

        return layouts;
    }

    private async Task<ItemCounts> ImportRecordsAsync(
        string path, ImportSession import, HashSet<string> knownQueries, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var counts = new Counter();
        var written = await unitOfWork.Records.AddMissingAsync(Accepted(cancellationToken), cancellationToken);
        counts.Added = checked((int)written.Added);
        counts.Unchanged = checked((int)(written.Written - written.Added));
        return counts.ToCounts();

        async IAsyncEnumerable<MetricRecord> Accepted([EnumeratorCancellation] CancellationToken token)
        {
            var occurrences = new Dictionary<ContentHash, int>();
            var createdAt = clock.GetUtcNow();
            await foreach (var item in reader.ReadRecordsAsync(path, token))
            {
                counts.Read++;
                if (!import.Accept(file, item, counts) || item.Value is not { } row)
                {
                    continue;
                }

                if (!knownQueries.Contains(row.QueryId))
                {
                    import.Reject(file, item, counts,
                        $"Record names query '{row.QueryId}', which is neither in the queries file nor stored.");
                    continue;
                }

                var content = RecordKey.HashContent(row.QueryId, row.DateUtc, row.Measures);
                var occurrence = occurrences[content] = occurrences.GetValueOrDefault(content) + 1;
                yield return MetricRecord.Create(row.QueryId, row.DateUtc, row.Measures,
                    RecordKey.ForImported(content, occurrence), createdAt);
            }
        }
    }

    /// <summary>Turns unreadable items into issues on the run, so no step can drop one silently.</summary>
    private sealed class ImportSession(ImportRun run)
    {
        /// <summary>Reports the item's problems; true when it was readable and may be loaded.</summary>
        public bool Accept<T>(string file, SourceItem<T> item, Counter counts)
            where T : class
        {
            if (item.Value is null)
            {
                Reject(file, item, counts, string.Join(" ", item.Problems));
                return false;
            }

            foreach (var warning in item.Problems)
            {
                run.Report(new ImportIssue(file, item.Position, IssueSeverity.Warning, item.Key, warning, item.Raw));
            }

            return true;
        }

        public void Reject<T>(string file, SourceItem<T> item, Counter counts, string reason)
            where T : class
        {
            counts.Rejected++;
            run.Report(new ImportIssue(file, item.Position, IssueSeverity.Error, item.Key, reason, item.Raw));
        }
    }

    private sealed class Counter
    {
        public int Read { get; set; }
        public int Added { get; set; }
        public int Updated { get; set; }
        public int Unchanged { get; set; }
        public int Rejected { get; set; }

        public void Changed(bool changed)
        {
            if (changed)
            {
                Updated++;
            }
            else
            {
                Unchanged++;
            }
        }

        public ItemCounts ToCounts() => new(Read, Added, Updated, Unchanged, Rejected);
    }
}
