namespace MetricsEngine.Core.Queries;

/// <summary>
/// The part of the check SQL passes when it is saved that needs no database: exactly one statement, a <c>SELECT</c> or
/// a <c>WITH</c> of <c>SELECT</c>s, no write anywhere in it, no NUL character. It exists for the
/// clear reasons it gives; the boundary is the allowlist check that follows, where PostgreSQL
/// resolves every function and relation the query names (README: "Running stored SQL safely").
/// Reasons are written for the query's author.
/// </summary>
public static class QueryShape
{
    // A query that starts with SELECT or WITH can still write through a data-modifying CTE
    // (INSERT/UPDATE/DELETE/MERGE), create a table (SELECT ... INTO) or lock rows (FOR UPDATE).
    private static readonly HashSet<string> WriteKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "INTO",
    };

    public const string NulCharacter = "The query contains a NUL character (U+0000), which PostgreSQL can neither store nor run.";

    /// <summary>Why the SQL cannot be a metric's query, or null when its shape is acceptable.</summary>
    public static string? Problem(string sql)
    {
        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            return NulCharacter;
        }

        var tokens = SqlLexer.Tokenize(sql).Where(t => !t.IsTrivia).ToList();
        while (tokens.Count > 0 && tokens[^1].IsSymbol(";"))
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        if (tokens.Count == 0)
        {
            return "The query is empty.";
        }

        if (tokens.Any(t => t.IsSymbol(";")))
        {
            return "Only one statement is allowed: remove everything after the first ';'.";
        }

        var first = tokens.SkipWhile(t => t.IsSymbol("(")).FirstOrDefault();
        if (!first.IsWord("SELECT") && !first.IsWord("WITH"))
        {
            return $"A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with '{first.Text}'.";
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != SqlTokenKind.Word)
            {
                continue;
            }

            if (WriteKeywords.Contains(token.Text) && !IsColumnReference(tokens, i))
            {
                return $"Writes are not allowed: a metric's query may only read, but this one contains {token.Text.ToUpperInvariant()}.";
            }
        }

        return null;
    }

    // "t.update" or "AS delete" name a column, not a statement.
    private static bool IsColumnReference(List<SqlToken> tokens, int index) =>
        index > 0 && (tokens[index - 1].IsSymbol(".") || tokens[index - 1].IsWord("AS"));
}
