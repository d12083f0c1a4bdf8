using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Text;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Infrastructure.Querying.Allowlist;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Runs stored SQL in one round trip: a read-only transaction with a statement timeout and the
/// query surface as its only schema, the query wrapped in a row cap, COMMIT, then the session's
/// state ended (advisory locks released, settings reset, any large object the role owns
/// removed), so nothing a query does outlives it; after a failure the same reset runs on its
/// own. Before a statement first runs in this process it passes the same allowlist check as when
/// it was saved (SQL stored before the allowlist existed included). Rows are read one value at a
/// time and counted against <c>Query__MaxResultBytes</c> before each value is materialised.
/// Every run holds a slot of <see cref="QueryAdmission"/> until its connection is back.
/// </summary>
internal sealed partial class SqlQueryExecutor(
    QueryDataSource queryDataSource,
    QueryAdmission admission,
    IOptions<QueryOptions> options,
    ILogger<SqlQueryExecutor> logger) : IQueryExecutor, IDisposable
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, byte> _approved = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _allowedLock = new(1, 1);
    private AllowedObjects? _allowed;

    public async Task<QueryResult> ExecuteAsync(string sql, IReadOnlyList<SqlArgument> arguments, string caller, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var statement = Capped(sql, limits.MaxRows);
        using var admitted = await admission.AdmitAsync(caller, cancellationToken);
        await using var connection = await OpenAsync(limits, cancellationToken);
        if (!_approved.ContainsKey(statement))
        {
            await CheckOnAsync(connection, statement, arguments, limits, cancellationToken);
            Approve(statement);
        }

        EngineMetrics.QueriesExecuted.Add(1);
        try
        {
            return await RunAsync(connection, statement, arguments, limits, cancellationToken);
        }
        catch (Exception exception) when (exception is not MetricsEngineException)
        {
            await EndSessionStateAsync(connection);
            throw PostgresErrors.Translate(exception, limits.Timeout) ?? exception;
        }
        catch
        {
            await EndSessionStateAsync(connection);
            throw;
        }
    }

    public void Dispose() => _allowedLock.Dispose();

    public async Task CheckAsync(string sql, IReadOnlyList<SqlArgument> arguments, string caller, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var statement = Capped(sql, limits.MaxRows);
        using var admitted = await admission.AdmitAsync(caller, cancellationToken);
        await using var connection = await OpenAsync(limits, cancellationToken);
        await CheckOnAsync(connection, statement, arguments, limits, cancellationToken);
        Approve(statement);
    }

    /// <summary>The stored SQL inside a row cap; one row more than the cap tells that it was cut.</summary>
    private static string Capped(string sql, int maxRows) =>
        $"SELECT * FROM (\n{sql}\n) AS metric_query LIMIT {(maxRows + 1).ToString(CultureInfo.InvariantCulture)}";

    private async Task<NpgsqlConnection> OpenAsync(QueryOptions limits, CancellationToken cancellationToken)
    {
        try
        {
            return await queryDataSource.DataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresErrors.Translate(exception, limits.Timeout) is { } translated)
        {
            throw translated;
        }
    }

    private void Approve(string statement)
    {
        if (_approved.Count >= MaxRemembered)
        {
            _approved.Clear();
        }

        _approved.TryAdd(statement, 0);
    }

    private async Task CheckOnAsync(
        NpgsqlConnection connection, string statement, IReadOnlyList<SqlArgument> arguments, QueryOptions limits, CancellationToken cancellationToken)
    {
        string tree;
        long metricsView;
        long probeView;
        var probe = WithLiterals(statement, arguments);
        try
        {
            await using var batch = AllowlistCheck.ProbeBatch(connection, probe, limits.CheckTimeout);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
            {
            }

            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new QueryRejectedException("The query could not be checked: PostgreSQL kept no reading of it.");
            }

            tree = reader.GetString(0);
            metricsView = await reader.IsDBNullAsync(1, cancellationToken) ? 0 : reader.GetFieldValue<uint>(1);
            probeView = reader.GetFieldValue<uint>(2);
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }
        catch (Exception exception) when (exception is not MetricsEngineException)
        {
            await EndSessionStateAsync(connection);
            throw exception switch
            {
                // The probe wraps the statement, so an error just past its end is "at end of input" for its author.
                PostgresException { SqlState: PostgresErrorCodes.SyntaxError } e when e.Position > AllowlistCheck.EndOfStatement(probe) =>
                    new QueryRejectedException("Syntax error: syntax error at end of input", e),
                PostgresException { SqlState: PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.LockNotAvailable } e =>
                    QueryTimeoutException.WhileChecking(limits.CheckTimeout, e),
                NpgsqlException { InnerException: TimeoutException } e => QueryTimeoutException.WhileChecking(limits.CheckTimeout, e),
                _ => PostgresErrors.Translate(exception, limits.CheckTimeout) ?? exception,
            };
        }

        var allowed = await AllowedAsync(connection, cancellationToken);
        await AllowlistCheck.JudgeAsync(connection, tree, metricsView, probeView, allowed, cancellationToken);
    }

    private async Task<AllowedObjects> AllowedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_allowed is { } loaded)
        {
            return loaded;
        }

        await _allowedLock.WaitAsync(cancellationToken);
        try
        {
            return _allowed ??= await AllowedObjects.LoadAsync(connection, cancellationToken);
        }
        finally
        {
            _allowedLock.Release();
        }
    }

    /// <summary>
    /// The statement with its parameters written as typed expressions of the same values, for the
    /// probe view (a view cannot have parameters). No quotes are introduced, so the statement's
    /// strings and comments split exactly as they do when it runs.
    /// </summary>
    internal static string WithLiterals(string statement, IReadOnlyList<SqlArgument> arguments)
    {
        var tokens = SqlLexer.Tokenize(statement);
        var text = new StringBuilder(statement.Length + 32);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("@") && i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.Word
                && arguments.FirstOrDefault(a => string.Equals(a.Name, tokens[i + 1].Text, StringComparison.OrdinalIgnoreCase)) is { } argument)
            {
                text.Append(Literal(argument.Value));
                i++;
            }
            else
            {
                text.Append(tokens[i].Text);
            }
        }

        return text.ToString();
    }

    private static string Literal(object value) => value switch
    {
        DateOnly date => string.Create(CultureInfo.InvariantCulture, $"make_date({date.Year}, {date.Month}, {date.Day})"),
        int number => $"({number.ToString(CultureInfo.InvariantCulture)})::integer",
        _ => throw new ArgumentException($"A parameter of type {value.GetType().Name} cannot be checked.", nameof(value)),
    };

    private static async Task<QueryResult> RunAsync(
        NpgsqlConnection connection, string statement, IReadOnlyList<SqlArgument> arguments, QueryOptions limits, CancellationToken cancellationToken)
    {
        var batch = CreateBatch(connection, statement, arguments, limits);
        await using (batch)
        {
            var reader = await batch.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            QueryResult result;
            try
            {
                // BEGIN and SET produce no result set; the statement's is the first with columns.
                while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
                {
                }

                result = await ResultReader.ReadAsync(reader, limits, cancellationToken);
            }
            catch (ResultTooLargeException)
            {
                // Stop the server rather than read the rest of what it sends only to drop it.
                batch.Cancel();
                await DisposeQuietlyAsync(reader);
                EngineMetrics.ResultsTooLarge.Add(1);
                EngineMetrics.ResultBytes.Record(limits.MaxResultBytes);
                throw new QueryRejectedException(
                    $"The result is larger than the {Describe(limits.MaxResultBytes)} a metric may return (Query__MaxResultBytes); " +
                    "aggregate or filter it, or return fewer columns.");
            }
            catch
            {
                await DisposeQuietlyAsync(reader);
                throw;
            }

            while (await reader.NextResultAsync(cancellationToken))
            {
            }

            await reader.DisposeAsync();
            EngineMetrics.ResultBytes.Record(result.Bytes);
            return result;
        }
    }

    private static async Task DisposeQuietlyAsync(NpgsqlDataReader reader)
    {
        try
        {
            await reader.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // The cancelled statement reports its cancellation here; the connection is reset next.
        }
    }

    private static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0
            ? $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
            : $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes";

    private static NpgsqlBatch CreateBatch(NpgsqlConnection connection, string statement, IReadOnlyList<SqlArgument> arguments, QueryOptions limits)
    {
        var command = new NpgsqlBatchCommand(statement);
        foreach (var argument in arguments)
        {
            command.Parameters.AddWithValue(argument.Name, argument.Value);
        }

        var timeoutMs = (int)limits.Timeout.TotalMilliseconds;
        var batch = new NpgsqlBatch(connection)
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
        foreach (var reset in SessionReset)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(reset));
        }

        return batch;
    }

    /// <summary>
    /// Ends everything a session can keep: the allowlist already makes these unreachable, and
    /// this makes sure. Large objects are not session state but would outlive it, so the role's
    /// (it should own none) are removed too.
    /// </summary>
    private static readonly string[] SessionReset =
    [
        "SELECT pg_catalog.pg_advisory_unlock_all()",
        "RESET ALL",
        "SELECT count(pg_catalog.lo_unlink(l.oid)) FROM pg_catalog.pg_largeobject_metadata l WHERE l.lomowner = pg_catalog.to_regrole(current_user)",
    ];

    private async Task EndSessionStateAsync(NpgsqlConnection connection)
    {
        if (connection.FullState is not ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var batch = new NpgsqlBatch(connection) { Timeout = 5 };
            batch.BatchCommands.Add(new NpgsqlBatchCommand("ROLLBACK"));
            foreach (var reset in SessionReset)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(reset));
            }

            await batch.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // A connection that cannot be reset must not be reused.
            LogResetFailed(logger, e.Message);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A query connection could not be reset after a failure and its pool was cleared: {Reason}")]
    private static partial void LogResetFailed(ILogger logger, string reason);
}
