using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>
/// The check stored SQL passes when it is saved, run whenever SQL is saved or imported: one statement, a SELECT
/// or a WITH of SELECTs, that PostgreSQL resolves (with its parameters at their defaults) to
/// nothing but the metrics view and the sandbox's allowlist (README: "Running stored SQL
/// safely"). Throws <c>QueryRejectedException</c> with a reason the author can act on; the check
/// takes a slot of the caller's query capacity like a run does.
/// </summary>
public interface ISqlValidator
{
    Task ValidateAsync(QueryTemplate template, string caller, CancellationToken cancellationToken);
}
