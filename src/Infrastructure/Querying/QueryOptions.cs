using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Limits applied to every execution of stored SQL (configuration section <c>Query</c>); the
/// README's "Running stored SQL safely" section explains each and how they fit the database.
/// </summary>
public sealed class QueryOptions
{
    public const string SectionName = "Query";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 10_000;

    /// <summary>
    /// The most a result may take in the API's memory (its values as held, a text value two bytes a
    /// character); counted while rows are read, so nothing past it is ever buffered.
    /// </summary>
    [Range(1_024, 1_073_741_824)]
    public long MaxResultBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Stored-SQL executions (and checks of SQL being saved) one instance runs at once: the sandbox pool's size less one.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrent { get; set; } = 10;

    /// <summary>Uncached executions one caller may have running at once.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrentPerCaller { get; set; } = 16;

    /// <summary>How long a request waits for its caller's share or for the pool before 429 or 503.</summary>
    [Range(0, 60_000)]
    public int QueueTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>
    /// Requests that may wait for the pool at once; beyond it they are refused at once (503). The
    /// queue timeout is what bounds a wait; this bounds memory (a waiting request holds little), and
    /// is deep enough that a burst of a few hundred clients waits its turn rather than being
    /// refused: a refusal costs the instance nearly what an answer does, so clients that retry at
    /// once turn a shallow queue into a loop of refusals (docs/adr/connection-admission.md).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxQueued { get; set; } = 1_000;

    /// <summary>Statement timeout of the check SQL passes when it is saved, which resolves SQL without running it.</summary>
    [Range(100, 60_000)]
    public int CheckTimeoutMilliseconds { get; set; } = 2_000;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
    public TimeSpan QueueTimeout => TimeSpan.FromMilliseconds(QueueTimeoutMilliseconds);
    public TimeSpan CheckTimeout => TimeSpan.FromMilliseconds(CheckTimeoutMilliseconds);
}
