using System.Globalization;

namespace MetricsEngine.Infrastructure.Querying.Allowlist;

/// <summary>
/// A node of PostgreSQL's textual node format (<c>nodeToString</c>, as <c>pg_rewrite.ev_action</c>
/// shows a stored rule): <c>{NAME :field value ...}</c>, where a value is a run of plain tokens,
/// nodes and parenthesised lists. Only the structure is read; field values are kept as the items
/// they are, so a field this code never looks at cannot confuse it, whatever it holds.
/// </summary>
internal sealed class ParseNode(string name)
{
    public string Name { get; } = name;

    public List<(string Field, IReadOnlyList<object> Value)> Fields { get; } = [];


    /// <summary>The numbers a field holds: <c>:funcid 2020</c>, or an oid list <c>:opnos (o 97 521)</c>.</summary>
    public static IEnumerable<long> NumbersIn(IReadOnlyList<object> value)
    {
        foreach (var item in value)
        {
            switch (item)
            {
                case string token when long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                    yield return number;
                    break;
                case ParseList list:
                    foreach (var number in NumbersIn(list.Items))
                    {
                        yield return number;
                    }

                    break;
            }
        }
    }
}

internal sealed record ParseList(IReadOnlyList<object> Items);

/// <summary>Reads the node format the way PostgreSQL's own <c>pg_strtok</c> splits it.</summary>
internal static class ParseTreeReader
{
    /// <summary>
    /// Deeper than any query a person writes, and shallow enough that walking the tree can never
    /// exhaust the stack.
    /// </summary>
    public const int MaxDepth = 1_000;

    /// <summary>The top-level nodes (a stored rule is a list of queries).</summary>
    public static IReadOnlyList<ParseNode> Read(string text)
    {
        var tokens = new Tokens(text);
        var items = ReadItems(tokens, closing: null, depth: 0);
        if (tokens.Next() is { } extra)
        {
            throw new FormatException($"Unexpected '{extra}' after the parse tree.");
        }

        var nodes = Flatten(items).ToList();
        return nodes.Count > 0 ? nodes : throw new FormatException("The parse tree holds no node.");
    }

    private static IEnumerable<ParseNode> Flatten(IEnumerable<object> items) =>
        items.SelectMany(item => item switch
        {
            ParseNode node => [node],
            ParseList list => Flatten(list.Items),
            _ => Enumerable.Empty<ParseNode>(),
        });

    private static List<object> ReadItems(Tokens tokens, string? closing, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("The parse tree is nested too deeply.");
        }

        var items = new List<object>();
        while (tokens.Next() is { } token)
        {
            switch (token)
            {
                case "{":
                    items.Add(ReadNode(tokens, depth + 1));
                    break;
                case "(":
                    items.Add(new ParseList(ReadItems(tokens, ")", depth + 1)));
                    break;
                case ")" or "}" when token == closing:
                    return items;
                case ")" or "}":
                    throw new FormatException($"Unbalanced '{token}' in the parse tree.");
                default:
                    items.Add(token);
                    break;
            }
        }

        return closing is null ? items : throw new FormatException($"The parse tree ends before '{closing}'.");
    }

    private static ParseNode ReadNode(Tokens tokens, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("The parse tree is nested too deeply.");
        }

        var name = tokens.Next() ?? throw new FormatException("The parse tree ends inside a node.");
        if (name is "{" or "}" or "(" or ")" || name.StartsWith(':'))
        {
            throw new FormatException($"A node has no name (found '{name}').");
        }

        var node = new ParseNode(name);
        string? field = null;
        var value = new List<object>();
        while (true)
        {
            var token = tokens.Next() ?? throw new FormatException($"The parse tree ends inside {name}.");
            if (token == "}")
            {
                if (field is not null)
                {
                    node.Fields.Add((field, value));
                }

                return node;
            }

            if (token.StartsWith(':') && token.Length > 1)
            {
                if (field is not null)
                {
                    node.Fields.Add((field, value));
                }

                field = token[1..];
                value = [];
                continue;
            }

            if (field is null)
            {
                throw new FormatException($"{name} holds a value before any field.");
            }

            switch (token)
            {
                case "{":
                    value.Add(ReadNode(tokens, depth + 1));
                    break;
                case "(":
                    value.Add(new ParseList(ReadItems(tokens, ")", depth + 1)));
                    break;
                case ")":
                    throw new FormatException($"Unbalanced ')' in {name}.");
                default:
                    value.Add(token);
                    break;
            }
        }
    }

    /// <summary>Whitespace separates tokens; braces and parentheses are tokens of their own; a backslash escapes the next character.</summary>
    private sealed class Tokens(string text)
    {
        private int _position;

        public string? Next()
        {
            while (_position < text.Length && text[_position] is ' ' or '\n' or '\t' or '\r')
            {
                _position++;
            }

            if (_position >= text.Length)
            {
                return null;
            }

            var start = _position;
            if (text[_position] is '(' or ')' or '{' or '}')
            {
                _position++;
                return text[start.._position];
            }

            while (_position < text.Length && text[_position] is not (' ' or '\n' or '\t' or '\r' or '(' or ')' or '{' or '}'))
            {
                _position += text[_position] == '\\' && _position + 1 < text.Length ? 2 : 1;
            }

            return text[start.._position];
        }
    }
}
