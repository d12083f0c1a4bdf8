using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Who may run stored SQL now (docs/adr/connection-admission.md). Two concurrency limiters from
/// System.Threading.RateLimiting, taken in order: the caller's share
/// (<c>Query__MaxConcurrentPerCaller</c>), then a slot of the sandbox pool
/// (<c>Query__MaxConcurrent</c>, the pool's size less the readiness probe's connection). A request
/// waits for both together at most <c>Query__QueueTimeoutMilliseconds</c>; then it is refused with
/// 429 (its caller's share was full) or 503 (the pool was), each with <c>Retry-After</c>. So one
/// caller cannot hold more than its share of the pool, and no request ever waits on a connection
/// longer than the queue timeout. Cached answers never come here.
/// </summary>
internal sealed class QueryAdmission : IDisposable
{
    private readonly QueryOptions _limits;
    private readonly PartitionedRateLimiter<string> _callers;
    private readonly ConcurrencyLimiter _pool;

    public QueryAdmission(IOptions<QueryOptions> options)
    {
        _limits = options.Value;
        _callers = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = _limits.MaxConcurrentPerCaller,
            QueueLimit = _limits.MaxConcurrentPerCaller,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        _pool = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _limits.MaxConcurrent,
            QueueLimit = _limits.MaxQueued,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>A slot for one run on behalf of <paramref name="caller"/>; dispose it when the connection is back in the pool.</summary>
    public async Task<IDisposable> AdmitAsync(string caller, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_limits.QueueTimeout);

        // Recomputations for live subscribers are the server's work: no caller's share, only the pool.
        var share = caller == CallerKeys.Subscribers
            ? NoShare
            : await AcquireAsync(_callers.AcquireAsync(caller, 1, deadline.Token), cancellationToken);
        if (!share.IsAcquired)
        {
            share.Dispose();
            throw Refuse(callerShare: true, started);
        }

        var slot = await AcquireAsync(_pool.AcquireAsync(1, deadline.Token), cancellationToken);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            share.Dispose();
            throw Refuse(callerShare: false, started);
        }

        EngineMetrics.AdmissionWait.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new Admitted(share, slot);
    }

    public void Dispose()
    {
        _callers.Dispose();
        _pool.Dispose();
    }

    /// <summary>The lease, or a refused one when the queue timeout ran out; the caller's own cancellation still cancels.</summary>
    private static async Task<RateLimitLease> AcquireAsync(ValueTask<RateLimitLease> acquiring, CancellationToken cancellationToken)
    {
        try
        {
            return await acquiring;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused.Lease;
        }
    }

    private QueryAdmissionException Refuse(bool callerShare, long started)
    {
        EngineMetrics.AdmissionWait.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        EngineMetrics.AdmissionRejected.Add(1, new KeyValuePair<string, object?>(EngineMetrics.ReasonTag, callerShare ? "caller" : "pool"));
        var retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(_limits.QueueTimeout.TotalSeconds)));
        var seconds = retryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        return callerShare
            ? new QueryAdmissionException(true,
                $"A caller may run {_limits.MaxConcurrentPerCaller} uncached queries at once and yours are all running; retry after {seconds} s.", retryAfter)
            : new QueryAdmissionException(false,
                $"Every query connection is busy; retry after {seconds} s.", retryAfter);
    }

    private sealed class Admitted(RateLimitLease share, RateLimitLease slot) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                slot.Dispose();
                share.Dispose();
            }
        }
    }

    /// <summary>The lease of work that takes no caller's share: acquired, holding nothing.</summary>
    private static RateLimitLease NoShare => new Granted();

    private sealed class Granted : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Refused : RateLimitLease
    {
        public static readonly RateLimitLease Lease = new Refused();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
