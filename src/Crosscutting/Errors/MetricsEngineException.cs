namespace MetricsEngine.Crosscutting.Errors;

/// <summary>
/// Base of every error the application raises on purpose. The message is written for the API
/// caller: it must never carry SQL text, stack traces or other internals.
/// </summary>
public abstract class MetricsEngineException(string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public abstract ErrorKind Kind { get; }

    /// <summary>A short, stable, human-readable summary of the problem type.</summary>
    public abstract string Title { get; }

    /// <summary>When retrying may succeed, if the error says so (sent as <c>Retry-After</c>).</summary>
    public virtual TimeSpan? RetryAfter => null;
}

public sealed class NotFoundException : MetricsEngineException
{
    private readonly string _resource;

    public NotFoundException(string resource, object key)
        : this(resource, $"{resource} '{key}' was not found.")
    {
    }

    private NotFoundException(string resource, string message)
        : base(message) => _resource = resource;

    public override ErrorKind Kind => ErrorKind.NotFound;
    public override string Title => $"{_resource} not found";

    /// <summary>For a resource that has no key to name, such as "the latest import".</summary>
    public static NotFoundException Because(string resource, string message) => new(resource, message);
}

public sealed class ConflictException(string message, Exception? innerException = null) : MetricsEngineException(message, innerException)
{
    public override ErrorKind Kind => ErrorKind.Conflict;
    public override string Title => "Conflict";
}

/// <summary>SQL that cannot be stored or run: the reason tells the author what to change.</summary>
public sealed class QueryRejectedException(string reason, Exception? innerException = null)
    : MetricsEngineException(reason, innerException)
{
    public override ErrorKind Kind => ErrorKind.QueryRejected;
    public override string Title => "Query rejected";
}

public sealed class QueryTimeoutException : MetricsEngineException
{
    public QueryTimeoutException(TimeSpan timeout, Exception? innerException = null)
        : this($"The metric's query did not finish within {timeout.TotalSeconds:0.#} seconds.", innerException)
    {
    }

    private QueryTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public override ErrorKind Kind => ErrorKind.QueryTimeout;
    public override string Title => "Query timed out";

    /// <summary>The allowlist check (which resolves the SQL without running it) did not finish in time.</summary>
    public static QueryTimeoutException WhileChecking(TimeSpan timeout, Exception? innerException) =>
        new($"Checking the query did not finish within {timeout.TotalSeconds:0.#} seconds.", innerException);
}

/// <summary>The query generator (an LLM endpoint) failed or did not answer in time.</summary>
public sealed class QueryGenerationException(string message, bool timedOut, Exception? innerException = null)
    : MetricsEngineException(message, innerException)
{
    public override ErrorKind Kind => timedOut ? ErrorKind.GeneratorTimeout : ErrorKind.GeneratorFailed;
    public override string Title => timedOut ? "Query generation timed out" : "Query generation failed";
}

/// <param name="innerException">What failed.</param>
/// <param name="retriable">
/// The connection broke or could not be made (a restart, a dropped socket): a read tried again on
/// a fresh connection may well succeed. Not set for waits that ran out (the pool was busy), where
/// trying again would only wait longer.
/// </param>
public sealed class DatabaseUnavailableException(Exception? innerException = null, bool retriable = false)
    : MetricsEngineException("The database is unavailable. Try again shortly.", innerException)
{
    public bool Retriable { get; } = retriable;

    public override ErrorKind Kind => ErrorKind.DatabaseUnavailable;
    public override string Title => "Database unavailable";
}

/// <summary>
/// A stored-SQL run that found no slot within the queue timeout: the caller's own share was in use
/// (<see cref="ErrorKind.TooManyRequests"/>), or the instance's sandbox pool was
/// (<see cref="ErrorKind.Overloaded"/>).
/// </summary>
public sealed class QueryAdmissionException(bool callerShare, string message, TimeSpan retryAfter)
    : MetricsEngineException(message)
{
    public bool CallerShare { get; } = callerShare;
    public override ErrorKind Kind => CallerShare ? ErrorKind.TooManyRequests : ErrorKind.Overloaded;
    public override string Title => CallerShare ? "Too many queries at once" : "Query capacity exhausted";
    public override TimeSpan? RetryAfter => retryAfter;
}

/// <summary>
/// No event stream could be opened: the caller already holds its share
/// (<see cref="ErrorKind.TooManyRequests"/>) or the instance holds as many as it serves
/// (<see cref="ErrorKind.Overloaded"/>, so the client tries another instance).
/// </summary>
public sealed class StreamLimitException(bool callerShare, string message) : MetricsEngineException(message)
{
    public bool CallerShare { get; } = callerShare;
    public override ErrorKind Kind => CallerShare ? ErrorKind.TooManyRequests : ErrorKind.Overloaded;
    public override string Title => CallerShare ? "Too many event streams" : "Event stream capacity exhausted";
    public override TimeSpan? RetryAfter => TimeSpan.FromSeconds(CallerShare ? 10 : 5);
}

/// <summary>
/// An idempotency key the caller already used, within its window, for a different request. The
/// edge names the key as the caller sent it (a header, say).
/// </summary>
public sealed class IdempotencyKeyReusedException()
    : MetricsEngineException("This idempotency key was already used for a different request. Use a new key for a new request.")
{
    public override ErrorKind Kind => ErrorKind.IdempotencyKeyReused;
    public override string Title => "Idempotency key reused";
}
