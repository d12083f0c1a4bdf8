using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>
/// Writes a version entry for every change: who (the caller), when, what, and the definition
/// after it. A recorded change is one readers must see at once, so it also drops the metric's
/// cached definition and results, here and on every instance, once the change commits.
/// </summary>
public sealed class MetricHistory(IUnitOfWork unitOfWork, ICurrentUser currentUser, TimeProvider clock)
{
    public void Created(Metric metric, StoredQuery query, string how) =>
        Record(metric, MetricSnapshot.Of(metric, query), how);

    /// <summary>Records the change from <paramref name="before"/>; nothing when the definition did not change.</summary>
    public void Changed(Metric metric, StoredQuery query, MetricSnapshot before, string? prefix = null)
    {
        var after = MetricSnapshot.Of(metric, query);
        var change = after.DescribeChangeFrom(before);
        Record(metric, after, prefix is null ? change : $"{prefix}: {change}");
    }

    private void Record(Metric metric, MetricSnapshot snapshot, string change)
    {
        unitOfWork.Versions.Add(new MetricVersion(metric.Id, metric.Version, clock.GetUtcNow(), currentUser.Id, change, snapshot));
        unitOfWork.Changed(Change.MetricOf(metric.Id));
    }
}
