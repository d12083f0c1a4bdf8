using System.Runtime.CompilerServices;
using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Infrastructure.Caching;
using Microsoft.Extensions.Options;

namespace MetricsEngine.UnitTests.Caching;

public sealed class MetricCacheTests
{
    private static readonly QueryResult Rows = new(["n"], [[1]], false, 64);

    [Test]
    public async Task Reads_racing_invalidations_never_fail()
    {
        // A record POST invalidates the query's entries while dashboards read them: an
        // invalidation must never break a read that is taking the same change token.
        using var cache = new MetricCache(Options.Create(new CacheOptions()), TimeProvider.System, TimeSpan.FromSeconds(10));
        var metric = Guid.NewGuid();
        var failures = 0;
        var until = DateTime.UtcNow.AddSeconds(3);

        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                try
                {
                    await cache.GetResultAsync(
                        new ResultKey(metric, 1, "q", [new SqlArgument("n", i % 64)]), _ => Task.FromResult(Rows), CancellationToken.None);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var writer = Task.Run(() =>
        {
            while (DateTime.UtcNow < until)
            {
                cache.OnChange(Change.RecordsOf("q"));
                cache.OnChange(Change.MetricOf(metric));
            }
        });
        await Task.WhenAll([.. readers, writer]);

        failures.ShouldBe(0);
    }

    [Test]
    public async Task Expired_entries_are_released_without_waiting_for_another_access()
    {
        using var cache = new MetricCache(
            Options.Create(new CacheOptions { ResultTtlSeconds = 1 }), TimeProvider.System, sweepEvery: TimeSpan.FromMilliseconds(200));
        var released = await FillAndForgetAsync(cache);

        // Nothing touches the cache from here on: only its own sweep can let the entry go.
        await Task.Delay(TimeSpan.FromSeconds(2));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        released.IsAlive.ShouldBeFalse("the expired result is still held by the cache");
    }

    [Test]
    public async Task An_answer_entry_derives_its_form_once_and_again_once_a_change_evicts_it()
    {
        using var cache = new MetricCache(Options.Create(new CacheOptions()), TimeProvider.System, TimeSpan.FromSeconds(10));
        var asker = new AnswerAsker(cache);

        // Requests that arrive together share one fill, and so one answer and one derived form.
        var forms = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(asker.FormAsync)));
        var later = await asker.FormAsync();

        asker.Builds.ShouldBe(1);
        asker.Derivations.ShouldBe(1);
        forms.ShouldAllBe(form => ReferenceEquals(form, later));

        cache.OnChange(Change.RecordsOf(AnswerAsker.QueryId));
        var afterChange = await asker.FormAsync();
        var again = await asker.FormAsync();

        asker.Builds.ShouldBe(2);
        asker.Derivations.ShouldBe(2);
        afterChange.ShouldNotBeSameAs(later);
        again.ShouldBeSameAs(afterChange);
    }

    [Test]
    public async Task Without_caching_each_request_builds_its_own_answer_and_derives_its_form_again()
    {
        using var cache = new MetricCache(Options.Create(new CacheOptions { Enabled = false }), TimeProvider.System, TimeSpan.FromSeconds(10));
        var asker = new AnswerAsker(cache);

        var first = await asker.FormAsync();
        var second = await asker.FormAsync();

        asker.Builds.ShouldBe(2);
        asker.Derivations.ShouldBe(2);
        second.ShouldNotBeSameAs(first);
    }

    /// <summary>Asks the cache for one answer and derives a form of it, counting builds and derivations.</summary>
    private sealed class AnswerAsker(MetricCache cache)
    {
        public const string QueryId = "q";

        private readonly AnswerKey _key = new(Guid.NewGuid(), 1, QueryId, RequestedParameters.None, new DateOnly(2026, 1, 1));
        private int _builds;
        private int _derivations;

        public int Builds => Volatile.Read(ref _builds);

        public int Derivations => Volatile.Read(ref _derivations);

        public async Task<object> FormAsync()
        {
            var answer = await cache.GetAnswerAsync(_key, BuildAsync, CancellationToken.None);
            return answer.Value.Derive(_ =>
            {
                Interlocked.Increment(ref _derivations);
                return new object();
            });
        }

        private async Task<Cached<MetricAnswer>> BuildAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _builds);
            // Slow enough that every concurrent request joins this fill rather than finding the entry.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            var view = new MetricView(_key.MetricId, "Sales", true, new Dictionary<string, ParameterState>(),
                new RowSet(["n"], [[1]], 64), false, []);
            return new Cached<MetricAnswer>(new MetricAnswer(view, QueryId), DateTimeOffset.UtcNow.AddMinutes(5));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> FillAndForgetAsync(MetricCache cache)
    {
        var rows = new QueryResult(["n"], [[1]], false, 64);
        await cache.GetResultAsync(new ResultKey(Guid.NewGuid(), 1, "q", []), _ => Task.FromResult(rows), CancellationToken.None);
        return new WeakReference(rows);
    }
}
