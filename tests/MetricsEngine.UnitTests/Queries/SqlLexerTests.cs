using MetricsEngine.Core.Queries;

namespace MetricsEngine.UnitTests.Queries;

public sealed class SqlLexerTests
{
    [TestCase("")]
    [TestCase("SELECT 1")]
    [TestCase("SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided\nFROM metrics\nWHERE id = 'q1'\n  AND date >= CURRENT_DATE - INTERVAL '30' DAY\nGROUP BY DATE(date)\nORDER BY day;")]
    [TestCase("-- Title\r\nSELECT 'it''s', E'a\\'b', $$x$$, $fn$ y $fn$, \"Col\"\"umn\" /* a /* b */ c */ FROM t;")]
    [TestCase("SELECT AVG(x)::DECIMAL(10,2), 1.5e3, .5, $1 FROM t WHERE a<>b AND c>=d")]
    [TestCase("SELECT 'unterminated")]
    [TestCase("SELECT E'ends with backslash\\")]
    [TestCase("SELECT \"unterminated identifier")]
    [TestCase("SELECT /* unterminated /* nested */ comment")]
    [TestCase("SELECT $tag$ never closed")]
    [TestCase("SELECT 1 -- comment without newline")]
    [TestCase("  \t\n  ")]
    [TestCase("SELECT naïve, größe FROM ünïcode")]
    public void Tokens_concatenate_back_to_the_input(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);

        string.Concat(tokens.Select(t => t.Text)).ShouldBe(sql);
    }

    [Test]
    public void Token_positions_are_offsets_into_the_input()
    {
        const string Sql = "SELECT  'a' -- c\nFROM t";

        var tokens = SqlLexer.Tokenize(Sql);

        tokens.Select(t => t.Position).ShouldBe([0, 6, 8, 11, 12, 16, 17, 21, 22]);
    }

    [Test]
    public void Words_numbers_symbols_and_whitespace_are_told_apart()
    {
        var tokens = SqlLexer.Tokenize("SELECT a_1, 42 FROM t");

        Describe(tokens).ShouldBe([
            "Word:SELECT", "Whitespace: ", "Word:a_1", "Symbol:,", "Whitespace: ", "Number:42",
            "Whitespace: ", "Word:FROM", "Whitespace: ", "Word:t",
        ]);
    }

    [Test]
    public void A_string_literal_with_doubled_quotes_is_one_token()
    {
        var tokens = SqlLexer.Tokenize("x = 'it''s' AND y");

        Describe(tokens).ShouldBe([
            "Word:x", "Whitespace: ", "Symbol:=", "Whitespace: ", "StringLiteral:'it''s'", "Whitespace: ", "Word:AND",
            "Whitespace: ", "Word:y",
        ]);
        tokens[4].StringValue.ShouldBe("it's");
    }

    [TestCase("E'a\\'b' x", "E'a\\'b'")]
    [TestCase("e'a\\'b' x", "e'a\\'b'")]
    [TestCase("E'a\\\\' x", "E'a\\\\'")]
    [TestCase("E'a''b' x", "E'a''b'")]
    public void An_escape_string_does_not_end_at_a_backslash_escaped_quote(string sql, string literal)
    {
        var tokens = SqlLexer.Tokenize(sql);

        Describe(tokens).ShouldBe(["StringLiteral:" + literal, "Whitespace: ", "Word:x"]);
    }

    [Test]
    public void A_backslash_does_not_escape_a_quote_in_a_plain_string()
    {
        var tokens = SqlLexer.Tokenize("'a\\' x");

        Describe(tokens).ShouldBe(["StringLiteral:'a\\'", "Whitespace: ", "Word:x"]);
    }

    [TestCase("$$ it's -- not a comment $$ x", "$$ it's -- not a comment $$")]
    [TestCase("$fn$ CURRENT_DATE $$ 'x' $fn$ x", "$fn$ CURRENT_DATE $$ 'x' $fn$")]
    [TestCase("$a_1$ body $a_1$ x", "$a_1$ body $a_1$")]
    public void A_dollar_quoted_string_runs_to_its_matching_tag(string sql, string literal)
    {
        var tokens = SqlLexer.Tokenize(sql);

        Describe(tokens).ShouldBe(["DollarQuotedString:" + literal, "Whitespace: ", "Word:x"]);
    }

    [Test]
    public void A_positional_parameter_is_not_a_dollar_quote()
    {
        var tokens = SqlLexer.Tokenize("$1 + $2");

        Describe(tokens).ShouldBe(["Symbol:$", "Number:1", "Whitespace: ", "Symbol:+", "Whitespace: ", "Symbol:$", "Number:2"]);
    }

    [Test]
    public void A_quoted_identifier_is_one_token_and_not_a_word()
    {
        var tokens = SqlLexer.Tokenize("SELECT \"current \"\"date\"\" \" FROM t");

        tokens[2].Kind.ShouldBe(SqlTokenKind.QuotedIdentifier);
        tokens[2].Text.ShouldBe("\"current \"\"date\"\" \"");
        tokens[2].StringValue.ShouldBeNull();
    }

    [Test]
    public void A_line_comment_ends_at_the_newline()
    {
        var tokens = SqlLexer.Tokenize("-- it's 'open\nSELECT");

        Describe(tokens).ShouldBe(["LineComment:-- it's 'open", "Whitespace:\n", "Word:SELECT"]);
    }

    [Test]
    public void Block_comments_nest()
    {
        var tokens = SqlLexer.Tokenize("/* a /* b */ c */ x");

        Describe(tokens).ShouldBe(["BlockComment:/* a /* b */ c */", "Whitespace: ", "Word:x"]);
    }

    [Test]
    public void Double_colon_is_one_symbol()
    {
        var tokens = SqlLexer.Tokenize("x::date");

        Describe(tokens).ShouldBe(["Word:x", "Symbol:::", "Word:date"]);
    }

    [Test]
    public void A_single_colon_is_its_own_symbol()
    {
        var tokens = SqlLexer.Tokenize("a[1:2]");

        Describe(tokens).ShouldBe(["Word:a", "Symbol:[", "Number:1", "Symbol::", "Number:2", "Symbol:]"]);
    }

    [TestCase("SELECT 'unterminated", "StringLiteral:'unterminated")]
    [TestCase("SELECT E'unterminated\\", "StringLiteral:E'unterminated\\")]
    [TestCase("SELECT \"unterminated", "QuotedIdentifier:\"unterminated")]
    [TestCase("SELECT /* unterminated", "BlockComment:/* unterminated")]
    [TestCase("SELECT $$unterminated", "DollarQuotedString:$$unterminated")]
    public void An_unterminated_token_runs_to_the_end_of_the_input(string sql, string last)
    {
        var tokens = SqlLexer.Tokenize(sql);

        Describe(tokens).ShouldBe(["Word:SELECT", "Whitespace: ", last]);
    }

    [Test]
    public void Trivia_is_whitespace_and_comments_only()
    {
        var tokens = SqlLexer.Tokenize(" -- c\n/* b */'s'");

        tokens.Select(t => t.IsTrivia).ShouldBe([true, true, true, true, false]);
    }

    [Test]
    public void Keywords_match_whatever_their_case()
    {
        var token = SqlLexer.Tokenize("Current_Date").Single();

        token.IsWord("CURRENT_DATE").ShouldBeTrue();
        token.IsWord("CURRENT").ShouldBeFalse();
        token.IsSymbol("Current_Date").ShouldBeFalse();
    }

    private static string[] Describe(IEnumerable<SqlToken> tokens) => [.. tokens.Select(t => $"{t.Kind}:{t.Text}")];
}
