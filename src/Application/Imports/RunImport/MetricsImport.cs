using System.Text.Json;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Core.Common;
using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// metrics.json: items and their layouts. The first item of an id wins; layouts need a loaded
/// metric; titles come from the query's leading comment and are made unique among live metrics;
/// a metric changes only when the file's definition changed since it was last imported.
/// </summary>
internal sealed class MetricsImport(IUnitOfWork unitOfWork, IEnumerable<IImportSource<Task<MetricsDocument>>> sources, MetricChanges changes)
{
    public void EnsureAvailable(string location) => sources.For(location).EnsureAvailable(location);

    public async Task<(ItemCounts Metrics, ItemCounts Layouts)> RunAsync(string path, ImportSession import, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var document = await sources.For(path).ReadAsync(path, cancellationToken);
        var metricCounts = new ImportCounter();
        var layoutCounts = new ImportCounter();
        var accepted = AcceptItems(file, document.Items, import, metricCounts);
        var layouts = AcceptLayouts(file, document, accepted, import, layoutCounts);

        var stored = await unitOfWork.Metrics.GetAllAsync(cancellationToken);
        var queries = await unitOfWork.Queries.GetAllAsync(cancellationToken);
        var takenTitles = stored.Values.Where(m => !m.IsDeleted).Select(m => m.Title).ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var (id, (item, source)) in accepted)
        {
            var query = queries[item.QueryId];
            var metricLayouts = layouts.GetValueOrDefault(id) ?? [];
            var fileTitle = import.QueryTitles[item.QueryId] ?? $"Query {item.QueryId}";
            var fingerprint = Fingerprint.Of(JsonSerializer.Serialize(new { fileTitle, item.QueryId, item.IsEditable, metricLayouts }));
            bool? changed;
            if (!stored.TryGetValue(id, out var metric))
            {
                metric = Metric.Create(id, UniqueTitle(fileTitle, takenTitles, file, source, import), item.QueryId, item.IsEditable, metricLayouts);
                metric.MarkImported(fingerprint);
                unitOfWork.Metrics.Add(metric);
                changes.Created(metric, query, "imported");
                changed = null;
            }
            else if (metric.IsDeleted)
            {
                import.Warn(file, source, $"Metric {id} was deleted through the API; the import leaves it deleted (restore it from its versions).");
                changed = false;
            }
            else if (metric.ImportFingerprint == fingerprint)
            {
                changed = false;
            }
            else
            {
                var before = MetricSnapshot.Of(metric, query);
                takenTitles.Remove(metric.Title);
                changed = metric.Redefine(UniqueTitle(fileTitle, takenTitles, file, source, import), item.QueryId, item.IsEditable, metricLayouts);
                metric.MarkImported(fingerprint);
                if (changed.Value)
                {
                    changes.Changed(metric, query, before, "imported");
                }
            }

            Count(metricCounts, changed);
            for (var i = 0; i < metricLayouts.Count; i++)
            {
                // A layout is as new, changed or unchanged as the metric it belongs to.
                Count(layoutCounts, changed);
            }
        }

        return (metricCounts.ToCounts(), layoutCounts.ToCounts());
    }

    private static void Count(ImportCounter counts, bool? changed)
    {
        if (changed is { } wasChanged)
        {
            counts.Changed(wasChanged);
        }
        else
        {
            counts.Added++;
        }
    }

    /// <summary>The file's title, or "Title (2)" and so on when a live metric already has it.</summary>
    private static string UniqueTitle(string title, HashSet<string> taken, string file, SourceItem<MetricItem> source, ImportSession import)
    {
        var unique = title;
        for (var n = 2; taken.Contains(unique); n++)
        {
            unique = $"{title} ({n})";
        }

        if (unique != title)
        {
            import.Warn(file, source, $"Another metric is already titled \"{title}\"; this one is titled \"{unique}\".");
        }

        taken.Add(unique);
        return unique;
    }

    private static Dictionary<Guid, (MetricItem Item, SourceItem<MetricItem> Source)> AcceptItems(
        string file, IReadOnlyList<SourceItem<MetricItem>> items, ImportSession import, ImportCounter counts)
    {
        var accepted = new Dictionary<Guid, (MetricItem Item, SourceItem<MetricItem> Source)>();
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
                    $"Duplicate metric id {metric.Id} ({difference}): the first definition at {first.Source.Position} wins, this one was ignored.");
                continue;
            }

            if (!import.QueryTitles.ContainsKey(metric.QueryId))
            {
                import.Reject(file, item, counts, import.RejectedQueries.Contains(metric.QueryId)
                    ? $"Metric {metric.Id} names query '{metric.QueryId}', which was rejected (see that query's issue); the metric was not loaded."
                    : $"Metric {metric.Id} names query '{metric.QueryId}', which is neither in the queries file nor stored; the metric was not loaded.");
                continue;
            }

            accepted[metric.Id] = (metric, item);
        }

        return accepted;
    }

    private static Dictionary<Guid, List<LayoutItem>> AcceptLayouts(
        string file, MetricsDocument document, Dictionary<Guid, (MetricItem, SourceItem<MetricItem>)> metrics,
        ImportSession import, ImportCounter counts)
    {
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
}
