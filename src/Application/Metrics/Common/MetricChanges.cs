using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>
/// Every change to a metric, with both its effects: a version entry (who, when, what, and the
/// definition after it), and the change published with the commit, which readers must see at once:
/// it drops the metric's cached definition, results and answers on every instance and recomputes
/// its live streams.
/// </summary>
public sealed class MetricChanges(IUnitOfWork unitOfWork, ICurrentUser currentUser, TimeProvider clock)
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
