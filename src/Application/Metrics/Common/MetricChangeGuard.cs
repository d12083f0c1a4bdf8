using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>Loads a metric for a change and applies the rules every change obeys: it exists, it is at a version the caller expects, it is editable.</summary>
public sealed class MetricChangeGuard(IUnitOfWork unitOfWork)
{
    public async Task<(Metric Metric, StoredQuery Query)> LoadAsync(
        Guid id, IReadOnlySet<int>? expectedVersions, bool includeDeleted, CancellationToken cancellationToken)
    {
        var metric = await unitOfWork.Metrics.FindAsync(id, cancellationToken);
        if (metric is null || (metric.IsDeleted && !includeDeleted))
        {
            throw new NotFoundException("Metric", id);
        }

        if (expectedVersions is not null && !expectedVersions.Contains(metric.Version))
        {
            throw new UnexpectedMetricVersionException(id, metric.Version);
        }

        if (!metric.IsEditable)
        {
            throw new ConflictException($"Metric {id} is not editable (is_editable is false); change it through the import files.");
        }

        var query = await unitOfWork.Queries.FindAsync(metric.QueryId, cancellationToken)
            ?? throw new InvalidOperationException($"Metric {id} names query {metric.QueryId}, which does not exist.");
        return (metric, query);
    }

    /// <summary>A query shared with other metrics (possible for imported ones) cannot change under them.</summary>
    public async Task EnsureQueryIsOwnAsync(Metric metric, CancellationToken cancellationToken)
    {
        var others = await unitOfWork.Metrics.OthersUsingQueryAsync(metric.QueryId, metric.Id, cancellationToken);
        if (others.Count > 0)
        {
            throw new ConflictException(
                $"Metric {metric.Id} shares query '{metric.QueryId}' with {others.Count} other metric(s) ({string.Join(", ", others)}); " +
                "its SQL can only change through the import files. Layout, title and editability can still be updated.");
        }
    }
}
