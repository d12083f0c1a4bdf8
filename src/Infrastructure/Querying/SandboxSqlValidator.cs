using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Application;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Refuses SQL by its shape first (clear reasons for writes and multiple statements), then has
/// PostgreSQL resolve it as the sandbox would run it, with its parameters at their defaults, and
/// holds what it uses to the allowlist (see <see cref="IQueryExecutor.CheckAsync"/>).
/// </summary>
internal sealed class SandboxSqlValidator(IQueryExecutor executor, TimeProvider clock) : ISqlValidator
{
    public async Task ValidateAsync(QueryTemplate template, string caller, CancellationToken cancellationToken)
    {
        if (QueryShape.Problem(template.OriginalSql) is { } problem)
        {
            throw new QueryRejectedException(problem);
        }

        var defaults = ParameterBinder.Bind(template.Parameters, RequestedParameters.None, clock.GetUtcToday());
        await executor.CheckAsync(template.ParameterisedSql, defaults.Arguments, caller, cancellationToken);
    }
}
