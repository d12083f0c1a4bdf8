namespace MetricsEngine.Core.Queries;

/// <summary>
/// The part of the door check that needs no database (SPEC §6): exactly one statement, a
/// <c>SELECT</c> or a <c>WITH</c> of <c>SELECT</c>s, no write anywhere in it and no function with a
/// side effect outside the query. What passes here is then planned under <c>EXPLAIN</c> as the
/// sandbox role, which catches the rest (unknown columns, other relations, forbidden functions).
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

    // Functions that act outside the query: on other sessions, settings, locks, files or notifications.
    private static readonly string[] SideEffectFunctionPrefixes =
    [
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
        "pg_advisory_", "pg_try_advisory_", "pg_notify", "set_config", "setval", "nextval",
        "lo_", "pg_read_", "pg_ls_", "pg_stat_file", "pg_file_", "dblink", "pg_logical_", "pg_replication_",
        "pg_create_", "pg_drop_", "pg_switch_wal", "pg_backup_",
    ];

    /// <summary>Why the SQL cannot be a metric's query, or null when its shape is acceptable.</summary>
    public static string? Problem(string sql)
    {
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

            if (i + 1 < tokens.Count && tokens[i + 1].IsSymbol("(")
                && SideEffectFunctionPrefixes.FirstOrDefault(p => token.Text.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } function)
            {
                return $"The function {token.Text.ToLowerInvariant()}() is not allowed in a metric's query: it acts outside the query ({Describe(function)}).";
            }
        }

        return null;
    }

    // "t.update" or "AS delete" name a column, not a statement.
    private static bool IsColumnReference(List<SqlToken> tokens, int index) =>
        index > 0 && (tokens[index - 1].IsSymbol(".") || tokens[index - 1].IsWord("AS"));

    private static string Describe(string function) => function switch
    {
        "set_config" => "it changes session settings",
        "setval" or "nextval" => "it changes a sequence",
        "pg_terminate_backend" or "pg_cancel_backend" => "it stops other sessions",
        "pg_advisory_" or "pg_try_advisory_" => "it takes locks",
        "pg_notify" => "it sends notifications",
        "lo_" or "pg_read_" or "pg_ls_" or "pg_stat_file" or "pg_file_" => "it reads server files",
        "dblink" => "it connects to other databases",
        _ => "it changes server state",
    };
}
