namespace MetricsEngine.Core.Queries;

public enum SqlTokenKind
{
    Whitespace,
    LineComment,
    BlockComment,
    StringLiteral,
    DollarQuotedString,
    QuotedIdentifier,
    Word,
    Number,
    Symbol,
}

public readonly record struct SqlToken(SqlTokenKind Kind, string Text, int Position)
{
    /// <summary>Whitespace and comments: kept in the output, skipped when matching patterns.</summary>
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    public bool IsWord(string word) =>
        Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    /// <summary>The content of a plain <c>'...'</c> literal with doubled quotes undone.</summary>
    public string? StringValue =>
        Kind == SqlTokenKind.StringLiteral && Text.Length >= 2 && Text[0] == '\''
            ? Text[1..^1].Replace("''", "'", StringComparison.Ordinal)
            : null;
}

/// <summary>
/// Splits PostgreSQL text into tokens without losing a character: concatenating the tokens gives
/// back the input. It knows enough of the lexical grammar (string and escape-string literals,
/// dollar quoting, quoted identifiers, nested block comments) that patterns are never matched
/// inside a literal or a comment.
/// </summary>
public static class SqlLexer
{
    public static IReadOnlyList<SqlToken> Tokenize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var kind = Scan(sql, ref i);
            tokens.Add(new SqlToken(kind, sql[start..i], start));
        }

        return tokens;
    }

    private static SqlTokenKind Scan(string s, ref int i)
    {
        var c = s[i];
        if (char.IsWhiteSpace(c))
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            return SqlTokenKind.Whitespace;
        }

        if (c == '-' && Peek(s, i + 1) == '-')
        {
            while (i < s.Length && s[i] != '\n')
            {
                i++;
            }

            return SqlTokenKind.LineComment;
        }

        if (c == '/' && Peek(s, i + 1) == '*')
        {
            ScanBlockComment(s, ref i);
            return SqlTokenKind.BlockComment;
        }

        if (c == '\'')
        {
            ScanQuoted(s, ref i, '\'', backslashEscapes: false);
            return SqlTokenKind.StringLiteral;
        }

        // E'...' escape strings allow backslash escapes, so \' does not end them.
        if ((c is 'e' or 'E') && Peek(s, i + 1) == '\'')
        {
            i++;
            ScanQuoted(s, ref i, '\'', backslashEscapes: true);
            return SqlTokenKind.StringLiteral;
        }

        if (c == '"')
        {
            ScanQuoted(s, ref i, '"', backslashEscapes: false);
            return SqlTokenKind.QuotedIdentifier;
        }

        if (c == '$' && TryScanDollarQuoted(s, ref i))
        {
            return SqlTokenKind.DollarQuotedString;
        }

        if (char.IsLetter(c) || c == '_')
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '$'))
            {
                i++;
            }

            return SqlTokenKind.Word;
        }

        if (char.IsDigit(c) || (c == '.' && char.IsDigit(Peek(s, i + 1))))
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            return SqlTokenKind.Number;
        }

        // "::" is kept whole so that a cast reads as one symbol.
        i += c == ':' && Peek(s, i + 1) == ':' ? 2 : 1;
        return SqlTokenKind.Symbol;
    }

    private static char Peek(string s, int index) => index < s.Length ? s[index] : '\0';

    private static void ScanBlockComment(string s, ref int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && Peek(s, i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (s[i] == '*' && Peek(s, i + 1) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                i++;
            }
        }
    }

    private static void ScanQuoted(string s, ref int i, char quote, bool backslashEscapes)
    {
        i++; // opening quote
        while (i < s.Length)
        {
            if (backslashEscapes && s[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (s[i] == quote)
            {
                if (Peek(s, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                i++;
                return;
            }

            i++;
        }

        i = Math.Min(i, s.Length);
    }

    private static bool TryScanDollarQuoted(string s, ref int i)
    {
        // $tag$ ... $tag$ where tag is empty or an identifier not starting with a digit.
        var end = i + 1;
        while (end < s.Length && (char.IsLetterOrDigit(s[end]) || s[end] == '_'))
        {
            end++;
        }

        if (end >= s.Length || s[end] != '$' || (end > i + 1 && char.IsDigit(s[i + 1])))
        {
            return false;
        }

        var tag = s[i..(end + 1)];
        var close = s.IndexOf(tag, end + 1, StringComparison.Ordinal);
        i = close < 0 ? s.Length : close + tag.Length;
        return true;
    }
}
