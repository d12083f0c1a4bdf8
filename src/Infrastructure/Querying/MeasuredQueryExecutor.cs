using System.Diagnostics;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// How long stored SQL takes, admission wait included, and how it ends
/// (<c>metricsengine.query.duration</c> by outcome, so timeouts, rejections and admission refusals
/// are counted too) and how many rows it returns. A decorator, so the executor itself stays about
/// running SQL safely; the allowlist check (<see cref="CheckAsync"/>) is passed through unmeasured.
/// </summary>
internal sealed class MeasuredQueryExecutor(SqlQueryExecutor inner) : IQueryExecutor
{
    public async Task<QueryResult> ExecuteAsync(string sql, IReadOnlyList<SqlArgument> arguments, string caller, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await inner.ExecuteAsync(sql, arguments, caller, cancellationToken);
            EngineMetrics.QueryRows.Record(result.Rows.Count);
            outcome = "ok";
            return result;
        }
        catch (MetricsEngineException failure)
        {
            outcome = failure.Kind switch
            {
                ErrorKind.QueryTimeout => "timeout",
                ErrorKind.QueryRejected => "rejected",
                ErrorKind.TooManyRequests or ErrorKind.Overloaded => "throttled",
                ErrorKind.DatabaseUnavailable => "unavailable",
                _ => "error",
            };
            throw;
        }
        finally
        {
            EngineMetrics.QueryDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public Task CheckAsync(string sql, IReadOnlyList<SqlArgument> arguments, string caller, CancellationToken cancellationToken) =>
        inner.CheckAsync(sql, arguments, caller, cancellationToken);
}
