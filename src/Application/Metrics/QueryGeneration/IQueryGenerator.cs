using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Metrics.QueryGeneration;

/// <summary>
/// Turns a natural-language prompt into SQL over the <c>metrics</c> view, filtered to
/// the given query id (the new metric's own records), with date filters as parameters
/// whose defaults come from the prompt. What it returns is validated before it is stored.
/// </summary>
public interface IQueryGenerator
{
    Task<GeneratedQuery> GenerateAsync(string prompt, string queryId, CancellationToken cancellationToken);
}

/// <param name="Template">The SQL, parameterised, with defaults.</param>
/// <param name="Title">A title for the metric, derived from the prompt.</param>
public sealed record GeneratedQuery(QueryTemplate Template, string Title);

public static class PromptTitles
{
    public const int MaxLength = 300;

    /// <summary>"cost avoided   per day" becomes "Cost avoided per day".</summary>
    public static string From(string prompt)
    {
        // Control characters (NUL above all, which PostgreSQL refuses in text) become spaces.
        var printable = new string([.. prompt.Select(c => char.IsControl(c) ? ' ' : c)]);
        var words = string.Join(' ', printable.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (words.Length == 0)
        {
            return "Untitled metric";
        }

        var title = char.ToUpperInvariant(words[0]) + words[1..];
        if (title.Length <= MaxLength)
        {
            return title;
        }

        // Never cut between the two halves of a surrogate pair (an emoji, say): it would not encode.
        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(title[cut - 1]))
        {
            cut--;
        }

        return string.Concat(title.AsSpan(0, cut), "…");
    }
}
