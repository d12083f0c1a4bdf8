using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Core.Common;
using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>
/// queries.csv: the first row of an id wins; each query must pass the SQL check on save; a query changes
/// only when the file's SQL changed since it was last imported (so API edits survive an
/// unchanged file), and every metric running a changed query gets a new version.
/// </summary>
internal sealed class QueriesImport(
    IUnitOfWork unitOfWork,
    IEnumerable<IImportSource<IAsyncEnumerable<SourceItem<QueryRow>>>> sources,
    ISqlValidator validator,
    MetricChanges changes,
    ICurrentUser currentUser)
{
    public void EnsureAvailable(string location) => sources.For(location).EnsureAvailable(location);

    public async Task<ItemCounts> RunAsync(string path, ImportSession import, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var stored = await unitOfWork.Queries.GetAllAsync(cancellationToken);
        var metrics = await unitOfWork.Metrics.GetAllAsync(cancellationToken);
        var firstSeenAt = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new ImportCounter();
        await foreach (var item in sources.For(path).ReadAsync(path, cancellationToken))
        {
            counts.Read++;
            if (!import.Accept(file, item, counts) || item.Value is not { } row)
            {
                continue;
            }

            if (firstSeenAt.TryGetValue(row.Id, out var first))
            {
                import.Reject(file, item, counts, $"Duplicate query id '{row.Id}': {first} already defines it, so this row was ignored.");
                continue;
            }

            firstSeenAt[row.Id] = item.Position;
            if (row.Id.Contains('\0', StringComparison.Ordinal))
            {
                import.Reject(file, item, counts, "The query id contains a NUL character, which cannot be stored.");
                continue;
            }

            // Whatever stops one row (a refusal, the check timing out, a database error on that
            // row, no query capacity free) is that row's issue; the rest of the file still loads.
            var template = QueryTemplate.Parameterise(row.Sql);
            try
            {
                await validator.ValidateAsync(template, currentUser.CallerKey, cancellationToken);
            }
            catch (MetricsEngineException refused) when (refused is not DatabaseUnavailableException)
            {
                import.Reject(file, item, counts, $"Query '{row.Id}' was rejected: {refused.Message}");
                import.RejectedQueries.Add(row.Id);
                continue;
            }

            var fingerprint = Fingerprint.Of(row.Sql);
            if (!stored.TryGetValue(row.Id, out var query))
            {
                query = StoredQuery.Create(row.Id, template);
                query.MarkImported(fingerprint);
                unitOfWork.Queries.Add(query);
                counts.Added++;
            }
            else if (query.ImportFingerprint == fingerprint)
            {
                counts.Unchanged++;
            }
            else
            {
                counts.Changed(Update(query, template, metrics.Values));
                query.MarkImported(fingerprint);
            }

            import.QueryTitles[row.Id] = QueryTemplate.TitleOf(query.Sql);
        }

        return counts.ToCounts();
    }

    private bool Update(StoredQuery query, QueryTemplate template, IEnumerable<Metric> metrics)
    {
        var running = metrics.Where(m => m.QueryId == query.Id && !m.IsDeleted).Select(m => (Metric: m, Before: MetricSnapshot.Of(m, query))).ToList();
        if (!query.Update(template))
        {
            return false;
        }

        foreach (var (metric, before) in running)
        {
            metric.QueryChanged();
            changes.Changed(metric, query, before, "imported");
        }

        return true;
    }
}
