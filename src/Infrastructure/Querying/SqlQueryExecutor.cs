using System.Globalization;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Crosscutting.Options;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Runs stored SQL in one round trip: a read-only transaction with a statement timeout and the
/// query surface as its only schema, the query wrapped in a row cap, then COMMIT. If anything
/// fails the server abandons the rest of the batch and the pool rolls the connection back before
/// it is reused, so no setting outlives its execution.
/// </summary>
internal sealed class SqlQueryExecutor(QueryDataSource queryDataSource, IOptions<QueryOptions> options) : IQueryExecutor
{
    public async Task<QueryResult> ExecuteAsync(string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        EngineMetrics.QueriesExecuted.Add(1);
        return await InSandboxAsync(Capped(sql, limits.MaxRows), arguments, limits,
            reader => ReadRowsAsync(reader, limits.MaxRows, cancellationToken), cancellationToken);
    }

    public async Task ExplainAsync(string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // The author's SQL as written (not the capped form), so PostgreSQL's "at or near" names their text.
        await InSandboxAsync($"EXPLAIN {sql}", arguments, limits,
            _ => Task.FromResult(true), cancellationToken);
    }

    /// <summary>The stored SQL inside a row cap; one row more than the cap tells that it was cut.</summary>
    private static string Capped(string sql, int maxRows) =>
        $"SELECT * FROM (\n{sql}\n) AS metric_query LIMIT {(maxRows + 1).ToString(CultureInfo.InvariantCulture)}";

    private async Task<T> InSandboxAsync<T>(
        string statement, IReadOnlyList<SqlArgument> arguments, QueryOptions limits,
        Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await queryDataSource.DataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = CreateBatch(connection, statement, arguments, limits);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

            // BEGIN and SET produce no result set; the statement's is the first with columns.
            while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
            {
            }

            var result = await read(reader);
            while (await reader.NextResultAsync(cancellationToken))
            {
            }

            return result;
        }
        catch (Exception exception) when (PostgresErrors.Translate(exception, limits.Timeout) is { } translated)
        {
            throw translated;
        }
    }

    private static NpgsqlBatch CreateBatch(NpgsqlConnection connection, string statement, IReadOnlyList<SqlArgument> arguments, QueryOptions limits)
    {
        var command = new NpgsqlBatchCommand(statement);
        foreach (var argument in arguments)
        {
            command.Parameters.AddWithValue(argument.Name, argument.Value);
        }

        var timeoutMs = (int)limits.Timeout.TotalMilliseconds;
        return new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN TRANSACTION READ ONLY"),
                new NpgsqlBatchCommand($"SET LOCAL statement_timeout = {timeoutMs.ToString(CultureInfo.InvariantCulture)}"),
                new NpgsqlBatchCommand("SET LOCAL search_path = query_surface"),
                command,
                new NpgsqlBatchCommand("COMMIT"),
            },

            // Client-side backstop in case the server cannot enforce statement_timeout.
            Timeout = limits.TimeoutSeconds + 5,
        };
    }

    private static async Task<QueryResult> ReadRowsAsync(NpgsqlDataReader reader, int maxRows, CancellationToken cancellationToken)
    {
        var columns = UniqueColumnNames(reader);
        var readers = Enumerable.Range(0, reader.FieldCount).Select(i => ValueReaders.For(reader.GetDataTypeName(i))).ToArray();
        var rows = new List<object?[]>();
        var truncated = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }

            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : readers[i](reader, i);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows, truncated);
    }

    // JSON objects need distinct keys: a second "total" column becomes "total_2".
    private static string[] UniqueColumnNames(NpgsqlDataReader reader)
    {
        var names = new string[reader.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var name = reader.GetName(i);
            var candidate = name;
            for (var n = 2; !seen.Add(candidate); n++)
            {
                candidate = $"{name}_{n.ToString(CultureInfo.InvariantCulture)}";
            }

            names[i] = candidate;
        }

        return names;
    }
}
