using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Infrastructure.Querying;
using MetricsEngine.Infrastructure.Querying.Allowlist;

namespace MetricsEngine.UnitTests.Querying;

/// <summary>
/// Reading PostgreSQL's node format: only the fields that name catalog objects are read, every
/// node kind not known to be harmless is reported, and text that is not a well-formed tree is
/// refused rather than half read.
/// </summary>
public sealed class ParseTreeFactsTests
{
    // Shaped as PostgreSQL 15 writes a view's rule (abridged): a FUNCEXPR in a target list, a relation, an OPEXPR.
    private const string Rule = """
        ({QUERY :commandType 1 :rtable ({RANGETBLENTRY :alias <> :eref {ALIAS :aliasname metrics :colnames ("id" "date")} :rtekind 0 :relid 16420 :relkind v}) :targetList ({TARGETENTRY :expr {FUNCEXPR :funcid 2020 :funcresulttype 1114 :funcretset false :funcvariadic false :funcformat 0 :funccollid 0 :inputcollid 100 :args ({CONST :consttype 25 :consttypmod -1 :constcollid 100 :constlen -1 :constbyval false :constisnull false :location 7 :constvalue 7 [ 28 0 0 0 100 97 121 ]} {VAR :varno 1 :varattno 2 :vartype 1114 :vartypmod -1}) :location 0} :resno 1 :resname d}) :jointree {FROMEXPR :fromlist ({RANGETBLREF :rtindex 1}) :quals {OPEXPR :opno 98 :opfuncid 67 :opresulttype 16 :opretset false :args ({VAR :varno 1 :varattno 1 :vartype 25} {CONST :consttype 25 :constvalue 5 [ 20 0 0 0 120 ]})}} :sortClause ({SORTGROUPCLAUSE :tleSortGroupRef 1 :eqop 98 :sortop 664 :nulls_first false}) :rowCompare {ROWCOMPAREEXPR :rctype 1 :opnos (o 97 521) :opfamilies (o 1976 1976)}})
        """;

    [Test]
    public void Functions_operators_relations_and_types_are_read_from_their_fields()
    {
        var facts = ParseTreeFacts.Of(ParseTreeReader.Read(Rule));

        facts.Functions.ShouldBe([2020]);
        facts.Relations.ShouldBe([16420]);
        facts.Operators.ShouldBe([98, 98, 664, 97, 521]);
        facts.OperatorFunctions.ShouldBe([(98L, 67L)]);
        facts.Types.Distinct().Order().ShouldBe([16L, 25, 1114]);
        facts.Unrecognised.ShouldBeEmpty();
    }

    [Test]
    public void A_node_kind_not_known_to_be_harmless_is_reported()
    {
        var facts = ParseTreeFacts.Of(ParseTreeReader.Read("({QUERY :targetList ({TARGETENTRY :expr {XMLEXPR :op 0 :name <> :type 142}})})"));

        facts.Unrecognised.ShouldBe(["XMLEXPR"]);
    }

    [Test]
    public void A_function_bearing_field_this_reader_does_not_know_is_reported()
    {
        var facts = ParseTreeFacts.Of(ParseTreeReader.Read("({QUERY :tablesample {TABLESAMPLECLAUSE :tsmhandler 3313 :args <>}})"));

        facts.Unrecognised.ShouldBe(["TABLESAMPLECLAUSE", "TABLESAMPLECLAUSE.tsmhandler"]);
    }

    [Test]
    public void Planner_only_function_fields_set_in_a_parse_tree_are_reported()
    {
        var facts = ParseTreeFacts.Of(ParseTreeReader.Read("({SCALARARRAYOPEXPR :opno 96 :opfuncid 65 :hashfuncid 400 :negfuncid 0 :useOr true})"));

        facts.Unrecognised.ShouldBe(["SCALARARRAYOPEXPR.hashfuncid"]);
    }

    [Test]
    public void Escaped_braces_and_field_like_names_in_aliases_cannot_hide_a_node()
    {
        var facts = ParseTreeFacts.Of(ParseTreeReader.Read(
            """({QUERY :eref {ALIAS :aliasname \}\ :funcid\ 1 :colnames ("\{x\}")} :targetList ({TARGETENTRY :expr {FUNCEXPR :funcid 3100 :args <>}})})"""));

        facts.Functions.ShouldBe([3100]);
    }

    [TestCase("")]
    [TestCase("({QUERY :targetList ({TARGETENTRY :expr {FUNCEXPR :funcid 1}})")]
    [TestCase("({QUERY :a 1}) }")]
    [TestCase("({ :funcid 1})")]
    [TestCase("({QUERY 1 :funcid 2})")]
    public void Text_that_is_not_a_whole_tree_is_refused(string text) =>
        Should.Throw<FormatException>(() => ParseTreeReader.Read(text));

    [Test]
    public void A_tree_nested_deeper_than_any_query_is_refused_before_it_can_exhaust_the_stack()
    {
        var deep = string.Concat(Enumerable.Repeat("{BOOLEXPR :args (", 5_000)) + "{CONST :consttype 16}" + string.Concat(Enumerable.Repeat(")}", 5_000));

        Should.Throw<FormatException>(() => ParseTreeReader.Read($"({deep})")).Message.ShouldBe("The parse tree is nested too deeply.");
    }

    [Test]
    public void Parameters_become_typed_expressions_without_quotes_so_strings_and_comments_split_the_same()
    {
        var sql = "SELECT '@as_of' AS text, x /* @start_date */ FROM metrics WHERE d BETWEEN @start_date AND @end_date AND n < @day_range -- @as_of";

        var probe = SqlQueryExecutor.WithLiterals(sql,
        [
            new SqlArgument("start_date", new DateOnly(2025, 6, 1)),
            new SqlArgument("end_date", new DateOnly(2025, 6, 30)),
            new SqlArgument("day_range", 30),
        ]);

        probe.ShouldBe("SELECT '@as_of' AS text, x /* @start_date */ FROM metrics WHERE d BETWEEN make_date(2025, 6, 1) AND make_date(2025, 6, 30) AND n < (30)::integer -- @as_of");
    }
}
