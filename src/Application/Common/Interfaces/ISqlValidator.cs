using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Common.Interfaces;

/// <summary>
/// The door check for stored SQL (SPEC §6), run whenever SQL is saved or imported: one
/// statement, a SELECT or a WITH of SELECTs, that plans cleanly under EXPLAIN as the sandbox role
/// with its parameters at their defaults. Throws <c>QueryRejectedException</c> with a reason the
/// author can act on.
/// </summary>
public interface ISqlValidator
{
    Task ValidateAsync(QueryTemplate template, CancellationToken cancellationToken);
}
