using System.Diagnostics;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// How long stored SQL takes and how it ends (<c>metricsengine.query.duration</c> by outcome, so
/// timeouts and rejections are counted too) and how many rows it returns. A decorator, so the
/// executor itself stays about running SQL safely.
/// </summary>
internal sealed class MeasuredQueryExecutor(SqlQueryExecutor inner) : IQueryExecutor
{
    public async Task<QueryResult> ExecuteAsync(string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await inner.ExecuteAsync(sql, arguments, cancellationToken);
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

    public Task ExplainAsync(string sql, IReadOnlyList<SqlArgument> arguments, CancellationToken cancellationToken) =>
        inner.ExplainAsync(sql, arguments, cancellationToken);
}
