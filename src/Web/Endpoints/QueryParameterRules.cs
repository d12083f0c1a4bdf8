using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Web.Endpoints;

/// <summary>The query-string parameters an endpoint understands; <paramref name="Repeatable"/> may be given more than once.</summary>
internal sealed record AllowedQueryParameters(IReadOnlyList<string> Names, IReadOnlyList<string>? Repeatable = null);

internal static class QueryParameterRules
{
    /// <summary>Declares the query-string parameters the endpoint accepts; any other is refused (see <see cref="Logging.EndpointCalls"/>).</summary>
    public static RouteHandlerBuilder AllowQueryParameters(this RouteHandlerBuilder builder, params string[] names) =>
        builder.WithMetadata(new AllowedQueryParameters(names));

    /// <summary>As <see cref="AllowQueryParameters(RouteHandlerBuilder, string[])"/>; the <paramref name="repeatable"/> ones may be given more than once (a list).</summary>
    public static RouteHandlerBuilder AllowQueryParameters(this RouteHandlerBuilder builder, string[] names, string[] repeatable) =>
        builder.WithMetadata(new AllowedQueryParameters(names, repeatable));

    /// <summary>
    /// Rejects query-string parameters the endpoint does not know with 400, so that a typo such as
    /// <c>startdate=</c> is reported instead of silently returning the unfiltered default; and
    /// parameters given more than once, which have no single meaning.
    /// </summary>
    public static void Check(IQueryCollection query, IReadOnlyList<string> names, IReadOnlyList<string>? repeatable = null)
    {
        var unknown = query.Keys.Where(key => !names.Contains(key, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new RequestValidationException(unknown.ToDictionary(
                key => key,
                key => new[]
                {
                    names.Count == 0
                        ? $"'{key}' is not a parameter of this endpoint; it takes none."
                        : $"'{key}' is not a parameter of this endpoint; it accepts {string.Join(", ", names)}.",
                },
                StringComparer.Ordinal));
        }

        var repeated = query
            .Where(parameter => parameter.Value.Count > 1 && !(repeatable ?? []).Contains(parameter.Key, StringComparer.Ordinal))
            .ToList();
        if (repeated.Count > 0)
        {
            throw new RequestValidationException(repeated.ToDictionary(
                parameter => parameter.Key,
                parameter => new[] { $"'{parameter.Key}' is given {parameter.Value.Count} times; give it once." },
                StringComparer.Ordinal));
        }
    }
}
