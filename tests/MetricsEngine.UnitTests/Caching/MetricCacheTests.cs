using System.Runtime.CompilerServices;
using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> FillAndForgetAsync(MetricCache cache)
    {
        var rows = new QueryResult(["n"], [[1]], false, 64);
        await cache.GetResultAsync(new ResultKey(Guid.NewGuid(), 1, "q", []), _ => Task.FromResult(rows), CancellationToken.None);
        return new WeakReference(rows);
    }
}
