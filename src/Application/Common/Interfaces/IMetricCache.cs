using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>
/// Caches what a dashboard asks for over and over: live metric definitions, query results keyed
/// by every effective parameter, and finished answers keyed by the request as it was asked.
/// Concurrent requests for a key being filled wait for that one fill. Entries go away at once
/// when a committed change (<see cref="IChangeSubscriber.OnChange"/>, this instance's or another's)
/// touches what they were built from. Keys, sizes, lifetimes and what each change evicts are the
/// implementation's business: a new policy changes that one class.
/// </summary>
public interface IMetricCache : IChangeSubscriber
{
    Task<Cached<MetricDefinition>?> GetDefinitionAsync(
        Guid metricId, Func<CancellationToken, Task<MetricDefinition?>> load, CancellationToken cancellationToken);

    Task<Cached<QueryResult>> GetResultAsync(
        ResultKey key, Func<CancellationToken, Task<QueryResult>> run, CancellationToken cancellationToken);

    /// <summary>
    /// A finished answer. The answer <paramref name="build"/> returns is the entry: it is stored as
    /// it is and handed to every request the entry serves until its <see cref="Cached{T}.ExpiresAt"/>
    /// or a change evicts it, so the form the edge derives from it (<see cref="MetricAnswer.Derive{TForm}"/>)
    /// is made once per entry and dropped with it. While nothing is being cached, each call builds.
    /// </summary>
    Task<Cached<MetricAnswer>> GetAnswerAsync(AnswerKey key, Func<CancellationToken, Task<Cached<MetricAnswer>>> build, CancellationToken cancellationToken);
}

public sealed record MetricDefinition(Metric Metric, StoredQuery Query);

/// <summary>A value and when it stops being served from the cache (now, when caching is off).</summary>
public sealed record Cached<T>(T Value, DateTimeOffset ExpiresAt);

/// <summary>A result's identity: the metric at one definition version, with its effective arguments.</summary>
public sealed record ResultKey(Guid MetricId, int Version, string QueryId, IReadOnlyList<SqlArgument> Arguments);

/// <summary>
/// A finished answer's identity: the metric at one definition version, the query it reads, and
/// everything else the answer depends on: the filters as asked (<paramref name="Asked"/>, which the
/// answer echoes) and the day (<paramref name="Today"/>, which <c>as_of</c> defaults to).
/// </summary>
public sealed record AnswerKey(Guid MetricId, int Version, string QueryId, RequestedParameters Asked, DateOnly Today);
