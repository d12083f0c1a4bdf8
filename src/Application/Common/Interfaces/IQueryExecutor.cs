namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>Runs a stored query's parameterised SQL with bound arguments and returns its rows.</summary>
public interface IQueryExecutor
{
    Task<QueryResult> ExecuteAsync(string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken);

    /// <summary>Plans the SQL exactly as it would run, without running it; throws when it cannot be planned.</summary>
    Task ExplainAsync(string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken);
}

/// <summary>A value bound to <c>@Name</c> as a real SQL parameter, never spliced into the text.</summary>
public sealed record SqlArgument(string Name, object Value);

/// <summary>Rows in column order; <see cref="Truncated"/> when the row cap cut the result short.</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated);
