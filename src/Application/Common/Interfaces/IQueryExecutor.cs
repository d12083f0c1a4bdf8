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
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated)
{
    /// <summary>Roughly what the rows take in memory, counted against the cache's size limit.</summary>
    public long EstimatedBytes => EstimateBytes(Rows.Count, Columns.Count);

    /// <summary>Roughly what <paramref name="rows"/> rows of <paramref name="columns"/> values take in memory.</summary>
    public static long EstimateBytes(int rows, int columns) => rows * (long)Math.Max(1, columns) * 48;
}
