using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Infrastructure.Changes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MetricsEngine.Infrastructure.Caching;

/// <summary>
/// <see cref="IMetricCache"/> over one size-limited <see cref="IMemoryCache"/>.
/// <list type="bullet">
/// <item>Single flight: while a key is being filled, other requests for it await that fill, so the
/// database sees each distinct question once per TTL however many dashboards ask at once.</item>
/// <item>Invalidation: every entry depends on change tokens for its metric, its query and "all";
/// cancelling one evicts every dependent entry at once. The tokens are taken before a fill starts,
/// so a fill that raced an invalidation is evicted as soon as it lands.</item>
/// <item>Changes: a committed change (<see cref="OnChange"/>, from this instance after its commit or
/// from another through the change feed) cancels the scope it touches. While the change feed is
/// not listening, changes made elsewhere could be missed, so nothing is served from here at all
/// (docs/adr/change-feed.md).</item>
/// </list>
/// </summary>
internal sealed class MetricCache : IMetricCache, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly IOptions<CacheOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Flight> _fills = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _scopes = new(StringComparer.Ordinal);
    private readonly ITimer _sweep;
    private readonly ChangeFeedState? _feed;

    public MetricCache(IOptions<CacheOptions> options, TimeProvider clock, ChangeFeedState feed)
        : this(options, clock, TimeSpan.FromSeconds(10))
    {
        _feed = feed;
    }

    /// <param name="options">Cache settings.</param>
    /// <param name="clock">The time source for TTLs and the sweep.</param>
    /// <param name="sweepEvery">
    /// How often expired entries are removed. MemoryCache only looks for them when it is accessed,
    /// so an idle instance would keep every expired result alive until the next request.
    /// </param>
    /// <remarks>Without a change feed the cache trusts it hears every change (tests of the cache alone).</remarks>
    internal MetricCache(IOptions<CacheOptions> options, TimeProvider clock, TimeSpan sweepEvery)
    {
        _options = options;
        _clock = clock;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = (long)options.Value.SizeLimitMegabytes * 1024 * 1024,
            TrackStatistics = true,
        });
        _sweep = clock.CreateTimer(static cache => ((MemoryCache)cache!).Compact(0), _cache, sweepEvery, sweepEvery);
    }

    public async Task<Cached<MetricDefinition>?> GetDefinitionAsync(
        Guid metricId, Func<CancellationToken, Task<MetricDefinition?>> load, CancellationToken cancellationToken)
    {
        if (!Serving)
        {
            return await load(cancellationToken) is { } fresh ? new Cached<MetricDefinition>(fresh, _clock.GetUtcNow()) : null;
        }

        var cached = await GetOrFillAsync(DefinitionCacheKey(metricId), [MetricScope(metricId)], For(_options.Value.DefinitionTtl, load),
            definition => definition is null ? -1 : 2_048 + (definition.Query.Sql.Length * 4L));
        return cached.Value is { } value ? new Cached<MetricDefinition>(value, cached.ExpiresAt) : null;
    }

    public Task<Cached<QueryResult>> GetResultAsync(
        ResultKey key, Func<CancellationToken, Task<QueryResult>> run, CancellationToken cancellationToken)
    {
        if (!Serving)
        {
            return RunUncachedAsync(run, cancellationToken);
        }

        return GetOrFillAsync(ResultCacheKey(key), [MetricScope(key.MetricId), QueryScope(key.QueryId)], For(_options.Value.ResultTtl, run),
            result => 1_024 + result.Bytes);
    }

    public Task<Cached<MetricAnswer>> GetAnswerAsync(
        AnswerKey key, Func<CancellationToken, Task<Cached<MetricAnswer>>> build, CancellationToken cancellationToken)
    {
        if (!Serving)
        {
            return build(cancellationToken);
        }

        return GetOrFillAsync(
            AnswerCacheKey(key),
            [MetricScope(key.MetricId), QueryScope(key.QueryId)],
            build,
            // The rows as counted when they were read, and the one form the edge derives from the
            // answer and keeps in it (MetricAnswer.Derive: its JSON, made at most once per entry),
            // which is no larger than the rows: UTF-8 where the rows hold UTF-16.
            answer => 1_024 + (2 * answer.View.Records.Bytes));
    }

    /// <summary>The size of everything held, as entries account it: what the size limit bounds.</summary>
    internal long AccountedBytes => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public void OnChange(Change change) => Cancel(change.Scope switch
    {
        ChangeScope.Records => QueryScope(change.Key),
        ChangeScope.Metric => $"metric|{change.Key}",
        _ => AllScope,
    });

    /// <summary>Caching is on and every change made elsewhere reaches this instance.</summary>
    private bool Serving => _options.Value.Enabled && (_feed?.IsListening ?? true);

    public void Dispose()
    {
        _sweep.Dispose();
        _cache.Dispose();
        foreach (var scope in _scopes.Values)
        {
            scope.Dispose();
        }
    }

    private const string AllScope = "all";

    private static string DefinitionCacheKey(Guid metricId) => string.Create(CultureInfo.InvariantCulture, $"def|{metricId:N}");

    private static string MetricScope(Guid metricId) => $"metric|{metricId:N}";

    private static string QueryScope(string queryId) => $"query|{queryId}";

    /// <summary>Metric, definition version and every effective argument (as_of already resolved to a date).</summary>
    private static string ResultCacheKey(ResultKey key)
    {
        var text = new StringBuilder(96).Append(CultureInfo.InvariantCulture, $"res|{key.MetricId:N}|v{key.Version}");
        foreach (var argument in key.Arguments.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            text.Append('|').Append(argument.Name).Append('=').Append(Convert.ToString(argument.Value, CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Metric, definition version, each filter as asked (empty when not) and the day.</summary>
    private static string AnswerCacheKey(AnswerKey key)
    {
        var asked = key.Asked;
        return string.Create(CultureInfo.InvariantCulture,
            $"ans|{key.MetricId:N}|v{key.Version}|{asked.StartDate:yyyy-MM-dd}|{asked.EndDate:yyyy-MM-dd}|{asked.DayRange}|{asked.AsOf:yyyy-MM-dd}|{key.Today.DayNumber}");
    }

    private async Task<Cached<QueryResult>> RunUncachedAsync(Func<CancellationToken, Task<QueryResult>> run, CancellationToken cancellationToken) =>
        new(await run(cancellationToken), _clock.GetUtcNow());

    /// <summary>A fill whose value is kept for <paramref name="ttl"/> from when it lands.</summary>
    private Func<CancellationToken, Task<Cached<T>>> For<T>(TimeSpan ttl, Func<CancellationToken, Task<T>> fill) =>
        async token => new Cached<T>(await fill(token), _clock.GetUtcNow() + ttl);

    private async Task<Cached<T>> GetOrFillAsync<T>(string key, string[] scopes, Func<CancellationToken, Task<Cached<T>>> fill, Func<T, long> sizeOf)
    {
        if (_cache.TryGetValue(key, out Cached<T>? hit) && hit is not null)
        {
            EngineMetrics.CacheHits.Add(1);
            return hit;
        }

        for (var attempt = 1; ; attempt++)
        {
            Flight? mine = null;
            var flight = _fills.GetOrAdd(key, _ => mine = NewFlight(key, scopes, fill, sizeOf));
            if (flight.IsStale)
            {
                // Started before an invalidation: its result may predate the change, so do not join it.
                mine = NewFlight(key, scopes, fill, sizeOf);
                flight = _fills.TryUpdate(key, mine, flight) ? mine : _fills.GetOrAdd(key, mine);
            }

            try
            {
                return (Cached<T>)await flight.Result.Value;
            }
            catch (MetricsEngineException refused) when (refused.Kind == ErrorKind.TooManyRequests && !ReferenceEquals(flight, mine) && attempt < 3)
            {
                // The fill we joined was refused because its starter had used up its own share of the
                // query capacity: that is the starter's answer, not ours. Fill again on our own account.
            }
            finally
            {
                _fills.TryRemove(new KeyValuePair<string, Flight>(key, flight));
            }
        }
    }

    /// <summary>
    /// One shared fill. Its change tokens are taken before it starts, so an invalidation during the
    /// fill both evicts what it stores and keeps later requests from joining it. The fill itself
    /// runs without any caller's cancellation: it must not die with whichever caller started it.
    /// The entry lives until the fill's own <see cref="Cached{T}.ExpiresAt"/>.
    /// </summary>
    private Flight NewFlight<T>(string key, string[] scopes, Func<CancellationToken, Task<Cached<T>>> fill, Func<T, long> sizeOf)
    {
        var tokens = scopes.Append(AllScope).Select(scope => new CancellationChangeToken(Scope(scope).Token)).ToArray();
        return new Flight(tokens, new Lazy<Task<object>>(async () =>
        {
            EngineMetrics.CacheMisses.Add(1);
            var cached = await fill(CancellationToken.None);
            var size = sizeOf(cached.Value);
            var lifetime = cached.ExpiresAt - _clock.GetUtcNow();
            if (size > 0 && lifetime > TimeSpan.Zero)
            {
                var entry = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = size };
                foreach (var token in tokens)
                {
                    entry.ExpirationTokens.Add(token);
                }

                _cache.Set(key, cached, entry);
            }

            return cached;
        }));
    }

    private CancellationTokenSource Scope(string scope) => _scopes.GetOrAdd(scope, _ => new CancellationTokenSource());

    private void Cancel(string scope)
    {
        // Cancelled but never disposed: a read may have taken this source from the dictionary a
        // moment ago and still be reading its Token, which a disposed source throws on. Nothing
        // here needs disposing (no timer, no linked tokens); the collector reclaims it.
        if (_scopes.TryRemove(scope, out var source))
        {
            source.Cancel();
        }
    }

    private sealed record Flight(CancellationChangeToken[] Tokens, Lazy<Task<object>> Result)
    {
        public bool IsStale => Tokens.Any(t => t.HasChanged);
    }
}
