using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>
/// Caches what a dashboard asks for over and over: live metric definitions, and query results
/// keyed by every effective parameter. Concurrent requests for a key being filled wait for that
/// one fill. Entries go away at once when what they were built from changes.
/// </summary>
public interface IMetricCache
{
    Task<Cached<MetricDefinition>?> GetDefinitionAsync(
        Guid metricId, Func<CancellationToken, Task<MetricDefinition?>> load, CancellationToken cancellationToken);

    Task<Cached<QueryResult>> GetResultAsync(
        ResultKey key, Func<CancellationToken, Task<QueryResult>> run, CancellationToken cancellationToken);

    /// <summary>The metric's definition or results changed.</summary>
    void InvalidateMetric(Guid metricId);

    /// <summary>Records of this query changed: every metric reading it shows different rows.</summary>
    void InvalidateQuery(string queryId);

    /// <summary>Anything may have changed (an import).</summary>
    void InvalidateAll();
}

public sealed record MetricDefinition(Metric Metric, StoredQuery Query);

/// <summary>A value and when it stops being served from the cache (now, when caching is off).</summary>
public sealed record Cached<T>(T Value, DateTimeOffset ExpiresAt);

/// <summary>A result's identity: the metric at one definition version, with its effective arguments.</summary>
public sealed record ResultKey(Guid MetricId, int Version, string QueryId, IReadOnlyList<SqlArgument> Arguments);
