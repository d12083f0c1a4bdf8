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
    IdempotencyKeyReused,
}
