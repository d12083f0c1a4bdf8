namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>
/// Runs a stored query's parameterised SQL with bound arguments and returns its rows. Each run
/// and each check takes a slot of the sandbox's bounded capacity on behalf of <c>caller</c>
/// (<see cref="ICurrentUser.CallerKey"/>): a caller past its share waits briefly and is then refused.
/// </summary>
public interface IQueryExecutor
{
    Task<QueryResult> ExecuteAsync(string sql, IReadOnlyList<SqlArgument> arguments, string caller, CancellationToken cancellationToken);

    /// <summary>
    /// Has PostgreSQL resolve the SQL exactly as it would run, without planning or running it,
    /// and refuses anything outside the sandbox's allowlist; throws <c>QueryRejectedException</c>
    /// naming the function or relation as PostgreSQL resolved it.
    /// </summary>
    Task CheckAsync(string sql, IReadOnlyList<SqlArgument> arguments, string caller, CancellationToken cancellationToken);
}

/// <summary>A value bound to <c>@Name</c> as a real SQL parameter, never spliced into the text.</summary>
public sealed record SqlArgument(string Name, object Value);

/// <summary>
/// Rows in column order; <see cref="Truncated"/> when the row cap cut the result short.
/// <see cref="Bytes"/> is what the rows take in memory as counted while they were read, the same
/// count the result size limit and the cache's size limit use.
/// </summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated, long Bytes);
