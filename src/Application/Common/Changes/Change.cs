namespace MetricsEngine.Application.Common.Changes;

/// <summary>What a committed change may have made different.</summary>
public enum ChangeScope
{
    /// <summary>The records of one stored query: every metric reading it may answer differently.</summary>
    Records,

    /// <summary>One metric's definition: defined, updated, deleted or restored.</summary>
    Metric,

    /// <summary>Anything (an import, or notifications that may have been missed).</summary>
    Everything,
}

/// <summary>
/// One committed change, as every reaction to a change sees it: the local cache, the other
/// instances (through the database, docs/adr/change-feed.md) and live subscribers.
/// <paramref name="Key"/> is the query id for <see cref="ChangeScope.Records"/>, the metric id
/// (<c>N</c> format) for <see cref="ChangeScope.Metric"/>, empty for <see cref="ChangeScope.Everything"/>.
/// </summary>
public sealed record Change(ChangeScope Scope, string Key)
{
    public static Change Everything { get; } = new(ChangeScope.Everything, "");

    public static Change RecordsOf(string queryId) => new(ChangeScope.Records, queryId);

    public static Change MetricOf(Guid metricId) => new(ChangeScope.Metric, metricId.ToString("N"));

    /// <summary>Whether this change may alter what a metric reading <paramref name="queryId"/> answers.</summary>
    public bool Affects(Guid metricId, string? queryId) => Scope switch
    {
        ChangeScope.Everything => true,
        ChangeScope.Metric => Key == metricId.ToString("N"),
        ChangeScope.Records => queryId is null || Key == queryId,
        _ => true,
    };
}

/// <summary>Reacts to committed changes, this instance's and every other's, in the order they arrive.</summary>
public interface IChangeSubscriber
{
    /// <summary>Called on the thread that delivers the change: return quickly, schedule any work.</summary>
    void OnChange(Change change);
}
