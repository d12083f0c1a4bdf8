using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Time;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Refuses SQL by its shape first (clear reasons for writes and multiple statements), then plans
/// it as the sandbox role would run it. EXPLAIN already checks privileges, so reading the
/// engine's tables, secret catalogs or server files fails here without running anything.
/// </summary>
internal sealed class SandboxSqlValidator(IQueryExecutor executor, TimeProvider clock) : ISqlValidator
{
    public async Task ValidateAsync(QueryTemplate template, CancellationToken cancellationToken)
    {
        if (QueryShape.Problem(template.OriginalSql) is { } problem)
        {
            throw new QueryRejectedException(problem);
        }

        var defaults = ParameterBinder.Bind(template.Parameters, RequestedParameters.None, clock.GetUtcToday());
        await executor.ExplainAsync(template.ParameterisedSql, defaults.Arguments, cancellationToken);
    }
}
