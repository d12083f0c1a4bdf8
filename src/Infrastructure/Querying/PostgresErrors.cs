using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Infrastructure.Persistence;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Turns PostgreSQL failures of stored SQL into errors an author can act on. Messages about the
/// author's own SQL (syntax, unknown column) are passed on; anything that would reveal the
/// engine's internals (its tables, roles, settings) is replaced by a plain reason.
/// </summary>
internal static class PostgresErrors
{
    public static MetricsEngineException? Translate(Exception exception, TimeSpan timeout) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } e => new QueryTimeoutException(timeout, e),
        NpgsqlException { InnerException: TimeoutException } e => new QueryTimeoutException(timeout, e),
        _ when DatabaseExceptionTranslator.IsUnavailable(exception) => new DatabaseUnavailableException(exception, DatabaseExceptionTranslator.IsRetriable(exception)),
        PostgresException e => new QueryRejectedException(ReasonFor(e), e),
        _ => null,
    };

    public static string ReasonFor(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.SyntaxError => $"Syntax error: {e.MessageText}",
        PostgresErrorCodes.UndefinedColumn => $"Unknown column: {e.MessageText}. The metrics view has id, date, obsolescence, obsolescence_val, parts_flagged, alert_type and alert_category",
        PostgresErrorCodes.UndefinedTable => $"Unknown relation: {e.MessageText}. Queries read only the view 'metrics'",
        PostgresErrorCodes.UndefinedFunction => $"Unknown function or operator: {e.MessageText}",
        PostgresErrorCodes.InsufficientPrivilege => "The query reaches outside what metrics may read: only the view 'metrics' and PostgreSQL's built-in functions are allowed",
        PostgresErrorCodes.ReadOnlySqlTransaction => "Writes are not allowed: a metric's query may only read",
        PostgresErrorCodes.FeatureNotSupported => $"Not supported in a metric's query: {e.MessageText}",
        PostgresErrorCodes.ProgramLimitExceeded or PostgresErrorCodes.OutOfMemory or PostgresErrorCodes.DiskFull => "The query needs more resources than a metric may use",
        _ when e.SqlState.StartsWith("22", StringComparison.Ordinal) => $"Invalid data in the query: {e.MessageText}",
        _ when e.SqlState.StartsWith("25", StringComparison.Ordinal) => "The query tried to change its transaction; a metric's query may only read",
        _ when e.SqlState.StartsWith("42", StringComparison.Ordinal) => $"Invalid query: {e.MessageText}",
        _ => "The query failed while running; check it against the metrics view",
    };

}
