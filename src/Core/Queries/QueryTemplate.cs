using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MetricsEngine.Core.Queries;

/// <summary>
/// A query's SQL as supplied, the same SQL with its date literals turned into parameters, and the
/// parameters with the literals as defaults (docs/product.md#reading-a-metric). Calling a metric without parameters
/// therefore returns exactly what the original SQL returns.
/// </summary>
public sealed partial record QueryTemplate(
    string OriginalSql,
    string ParameterisedSql,
    IReadOnlyList<QueryParameter> Parameters,
    string? Title)
{
    /// <summary>
    /// Rewrites, outside string literals and comments:
    /// <list type="bullet">
    /// <item><c>BETWEEN 'YYYY-MM-DD' AND 'YYYY-MM-DD'</c> (also <c>DATE '...'</c> and <c>'...'::date</c>)
    /// into <c>BETWEEN @start_date AND @end_date</c>;</item>
    /// <item><c>INTERVAL 'N' DAY</c>, <c>INTERVAL 'N days'</c> and <c>'N days'::interval</c>
    /// into <c>make_interval(days => @day_range)</c>;</item>
    /// <item><c>CURRENT_DATE</c> into <c>@as_of</c>.</item>
    /// </list>
    /// A second window or interval with different literals than the first keeps its literals, so
    /// one parameter never silently stands for two different defaults.
    /// </summary>
    public static QueryTemplate Parameterise(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var rewriter = new Rewriter(SqlLexer.Tokenize(sql));
        rewriter.Run();
        return new QueryTemplate(sql, rewriter.Output(), rewriter.Parameters(), TitleOf(sql));
    }

    /// <summary>
    /// SQL that is already written against <c>@start_date</c>, <c>@end_date</c>, <c>@day_range</c>
    /// and <c>@as_of</c> (the query generators' output), with its defaults.
    /// </summary>
    public static QueryTemplate FromParameterised(string sql, IReadOnlyList<QueryParameter> parameters) =>
        new(sql, sql, parameters, TitleOf(sql));

    /// <summary>The text of a leading <c>-- comment</c> line, used as the metric's title.</summary>
    public static string? TitleOf(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var firstLine = sql.TrimStart().Split('\n', 2)[0].Trim();
        if (!firstLine.StartsWith("--", StringComparison.Ordinal))
        {
            return null;
        }

        var title = firstLine.TrimStart('-').Trim();
        return title.Length == 0 ? null : title;
    }

    /// <summary>The defaults as canonical text, by parameter name.</summary>
    public IReadOnlyDictionary<string, string?> Defaults =>
        Parameters.ToDictionary(p => p.Name, p => p.DefaultValue, StringComparer.Ordinal);

    private sealed partial class Rewriter(IReadOnlyList<SqlToken> tokens)
    {
        private const string MakeIntervalDays = "make_interval(days => @" + QueryParameterNames.DayRange + ")";

        private readonly int[] _significant = tokens.Select((t, i) => (t, i)).Where(x => !x.t.IsTrivia).Select(x => x.i).ToArray();
        private readonly SortedDictionary<int, (int Last, string Text)> _replacements = [];
        private (DateOnly Start, DateOnly End)? _window;
        private int? _dayRange;
        private bool _usesAsOf;

        public void Run()
        {
            for (var s = 0; s < _significant.Length; s++)
            {
                var token = Token(s);
                if (token.IsWord("BETWEEN"))
                {
                    TryWindow(s);
                }
                else if (token.IsWord("INTERVAL"))
                {
                    TryIntervalKeyword(s);
                }
                else if (token.Kind == SqlTokenKind.StringLiteral)
                {
                    TryIntervalCast(s);
                }
                else if (token.IsWord("CURRENT_DATE") && !(s > 0 && Token(s - 1).IsSymbol(".")))
                {
                    _usesAsOf = true;
                    Replace(s, s, "@" + QueryParameterNames.AsOf);
                }
            }
        }

        public string Output()
        {
            // Trailing semicolons go: the executed form is embedded in a row-capping wrapper.
            var trailingSemicolons = new HashSet<int>();
            for (var s = _significant.Length - 1; s >= 0 && Token(s).IsSymbol(";"); s--)
            {
                trailingSemicolons.Add(_significant[s]);
            }

            var sql = new StringBuilder();
            for (var i = 0; i < tokens.Count; i++)
            {
                if (trailingSemicolons.Contains(i))
                {
                    continue;
                }

                if (_replacements.TryGetValue(i, out var replacement))
                {
                    sql.Append(replacement.Text);
                    i = replacement.Last;
                }
                else
                {
                    sql.Append(tokens[i].Text);
                }
            }

            return sql.ToString();
        }

        public List<QueryParameter> Parameters()
        {
            var parameters = new List<QueryParameter>(4);
            if (_window is { } window)
            {
                parameters.Add(new(QueryParameterNames.StartDate, QueryParameterType.Date, Format(window.Start)));
                parameters.Add(new(QueryParameterNames.EndDate, QueryParameterType.Date, Format(window.End)));
            }

            if (_dayRange is { } days)
            {
                parameters.Add(new(QueryParameterNames.DayRange, QueryParameterType.Integer,
                    days.ToString(CultureInfo.InvariantCulture)));
            }

            if (_usesAsOf)
            {
                parameters.Add(new(QueryParameterNames.AsOf, QueryParameterType.Date, null));
            }

            return parameters;
        }

        private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private SqlToken Token(int significantIndex) => tokens[_significant[significantIndex]];

        private bool Has(int significantIndex) => significantIndex < _significant.Length;

        private void Replace(int firstSignificant, int lastSignificant, string text) =>
            _replacements[_significant[firstSignificant]] = (_significant[lastSignificant], text);

        private void TryWindow(int between)
        {
            if (!TryDateLiteral(between + 1, out var startEnd, out var start)
                || !Has(startEnd) || !Token(startEnd).IsWord("AND")
                || !TryDateLiteral(startEnd + 1, out var endEnd, out var end))
            {
                return;
            }

            _window ??= (start, end);
            if (_window != (start, end))
            {
                return;
            }

            Replace(between + 1, startEnd - 1, "@" + QueryParameterNames.StartDate);
            Replace(startEnd + 1, endEnd - 1, "@" + QueryParameterNames.EndDate);
        }

        /// <summary>
        /// Recognises <c>'YYYY-MM-DD'</c>, <c>DATE 'YYYY-MM-DD'</c> and <c>'YYYY-MM-DD'::date</c>
        /// (or <c>::timestamp</c>) starting at <paramref name="s"/>; <paramref name="next"/> is the
        /// significant index just after the literal.
        /// </summary>
        private bool TryDateLiteral(int s, out int next, out DateOnly date)
        {
            next = s;
            date = default;
            if (Has(s) && Token(s).IsWord("DATE") && Has(s + 1) && Token(s + 1).Kind == SqlTokenKind.StringLiteral)
            {
                s++;
            }

            if (!Has(s) || !TryParseDate(Token(s).StringValue, out date))
            {
                return false;
            }

            next = s + 1;
            if (Has(next + 1) && Token(next).IsSymbol("::")
                && (Token(next + 1).IsWord("date") || Token(next + 1).IsWord("timestamp")))
            {
                next += 2;
            }

            return true;
        }

        private static bool TryParseDate(string? text, out DateOnly date)
        {
            date = default;
            return text is not null
                && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        private void TryIntervalKeyword(int interval)
        {
            if (!Has(interval + 1) || Token(interval + 1).StringValue is not { } value)
            {
                return;
            }

            var match = IntervalDays().Match(value);
            if (!match.Success)
            {
                return;
            }

            var last = interval + 1;
            if (!match.Groups["unit"].Success)
            {
                // INTERVAL '30' DAY: the unit follows the literal.
                if (!Has(last + 1) || !Token(last + 1).IsWord("DAY"))
                {
                    return;
                }

                last++;
            }

            UseDayRange(match, interval, last);
        }

        private void TryIntervalCast(int literal)
        {
            if (Token(literal).StringValue is not { } value
                || !Has(literal + 2) || !Token(literal + 1).IsSymbol("::") || !Token(literal + 2).IsWord("interval")
                || (literal > 0 && Token(literal - 1).IsWord("INTERVAL")))
            {
                return;
            }

            var match = IntervalDays().Match(value);
            if (match.Success && match.Groups["unit"].Success)
            {
                UseDayRange(match, literal, literal + 2);
            }
        }

        private void UseDayRange(Match match, int first, int last)
        {
            if (!int.TryParse(match.Groups["days"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            {
                return;
            }

            _dayRange ??= days;
            if (_dayRange == days)
            {
                Replace(first, last, MakeIntervalDays);
            }
        }

        [GeneratedRegex(@"^\s*(?<days>\d{1,5})\s*(?<unit>days?)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
        private static partial Regex IntervalDays();
    }
}
