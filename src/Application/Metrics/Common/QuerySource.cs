using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.QueryGeneration;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>
/// Where a metric's SQL comes from: the query generator for a prompt, or the caller's raw SQL
/// (whose date literals become parameters). Either way it passes the check of
/// <see cref="ISqlValidator"/> before it can be stored, or is refused with the reason.
/// </summary>
public sealed class QuerySource(IQueryGenerator generator, ISqlValidator validator, ICurrentUser currentUser)
{
    /// <returns>The template, and a title suggested by the prompt or the SQL's leading comment.</returns>
    public async Task<(QueryTemplate Template, string? SuggestedTitle)> ResolveAsync(
        string? prompt, string? sql, string queryId, CancellationToken cancellationToken)
    {
        var (template, title) = prompt is not null
            ? await GenerateAsync(prompt, queryId, cancellationToken)
            : (QueryTemplate.Parameterise(sql!), null);
        await validator.ValidateAsync(template, currentUser.CallerKey, cancellationToken);
        return (template, title ?? template.Title);
    }

    private async Task<(QueryTemplate, string?)> GenerateAsync(string prompt, string queryId, CancellationToken cancellationToken)
    {
        var generated = await generator.GenerateAsync(prompt, queryId, cancellationToken);
        return (generated.Template, generated.Title);
    }

    /// <summary>The query id of a metric created through the API: its own, so its records are its own.</summary>
    public static string QueryIdFor(Guid metricId) => $"q_{metricId:N}";
}
