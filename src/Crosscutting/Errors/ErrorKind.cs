namespace MetricsEngine.Crosscutting.Errors;

/// <summary>
/// The kinds of failure the API distinguishes. Each maps to one HTTP status and one problem type,
/// so every layer can raise a meaningful error without knowing about HTTP.
/// </summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    PreconditionFailed,
    QueryRejected,
    QueryTimeout,
    DatabaseUnavailable,
    GeneratorFailed,
    GeneratorTimeout,

    /// <summary>The caller already uses its share of a limited resource; retry later.</summary>
    TooManyRequests,

    /// <summary>A limited resource the whole instance shares is busy; retry later.</summary>
    Overloaded,

    /// <summary>An <c>Idempotency-Key</c> sent again with a different request.</summary>
    IdempotencyKeyReused,
}
