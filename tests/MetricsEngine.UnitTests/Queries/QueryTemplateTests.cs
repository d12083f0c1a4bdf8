using MetricsEngine.Core.Queries;

namespace MetricsEngine.UnitTests.Queries;

/// <summary>docs/product.md#reading-a-metric: date literals become parameters whose defaults are the literals.</summary>
public sealed class QueryTemplateTests
{
    private static readonly QueryParameter AsOf = new("as_of", QueryParameterType.Date, null);

    private static IEnumerable<TestCaseData> Rewrites()
    {
        yield return Case("CURRENT_DATE minus INTERVAL 'N' DAY",
            "SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided FROM metrics WHERE id = 'q1' AND date >= CURRENT_DATE - INTERVAL '30' DAY GROUP BY DATE(date) ORDER BY day;",
            "SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided FROM metrics WHERE id = 'q1' AND date >= @as_of - make_interval(days => @day_range) GROUP BY DATE(date) ORDER BY day",
            DayRange("30"), AsOf);
        yield return Case("DATE(date) BETWEEN two dates",
            "SELECT alert_type, COUNT(*) AS total_alerts FROM metrics WHERE id = 'q2' AND DATE(date) BETWEEN '2025-06-01' AND '2025-06-30' GROUP BY alert_type ORDER BY alert_type;",
            "SELECT alert_type, COUNT(*) AS total_alerts FROM metrics WHERE id = 'q2' AND DATE(date) BETWEEN @start_date AND @end_date GROUP BY alert_type ORDER BY alert_type",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("date BETWEEN two dates next to a DECIMAL cast",
            "SELECT DATE(date) AS day, AVG(obsolescence_val)::DECIMAL(10,2) AS avg_value FROM metrics WHERE date BETWEEN '2025-06-01' AND '2025-06-30' GROUP BY DATE(date)",
            "SELECT DATE(date) AS day, AVG(obsolescence_val)::DECIMAL(10,2) AS avg_value FROM metrics WHERE date BETWEEN @start_date AND @end_date GROUP BY DATE(date)",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("BETWEEN DATE literals",
            "SELECT * FROM metrics WHERE date BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'",
            "SELECT * FROM metrics WHERE date BETWEEN @start_date AND @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("BETWEEN literals cast to date",
            "SELECT * FROM metrics WHERE date BETWEEN '2025-06-01'::date AND '2025-06-30'::date",
            "SELECT * FROM metrics WHERE date BETWEEN @start_date AND @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("BETWEEN literals cast to timestamp",
            "SELECT * FROM metrics WHERE date BETWEEN '2025-06-01'::TIMESTAMP AND '2025-06-30'::timestamp",
            "SELECT * FROM metrics WHERE date BETWEEN @start_date AND @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("INTERVAL 'N days'",
            "SELECT * FROM metrics WHERE date >= CURRENT_DATE - INTERVAL '30 days'",
            "SELECT * FROM metrics WHERE date >= @as_of - make_interval(days => @day_range)",
            DayRange("30"), AsOf);
        yield return Case("INTERVAL '1 day'",
            "SELECT * FROM metrics WHERE date >= CURRENT_DATE - INTERVAL '1 day'",
            "SELECT * FROM metrics WHERE date >= @as_of - make_interval(days => @day_range)",
            DayRange("1"), AsOf);
        yield return Case("'N days'::interval",
            "SELECT * FROM metrics WHERE date >= CURRENT_DATE - '7 days'::interval",
            "SELECT * FROM metrics WHERE date >= @as_of - make_interval(days => @day_range)",
            DayRange("7"), AsOf);
        yield return Case("lower-case between",
            "select * from metrics where date between '2025-06-01' and '2025-06-30'",
            "select * from metrics where date between @start_date and @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("lower-case current_date and interval day",
            "select * from metrics where date >= current_date - interval '30' day",
            "select * from metrics where date >= @as_of - make_interval(days => @day_range)",
            DayRange("30"), AsOf);
        yield return Case("NOT BETWEEN",
            "SELECT * FROM metrics WHERE date NOT BETWEEN '2025-06-01' AND '2025-06-30'",
            "SELECT * FROM metrics WHERE date NOT BETWEEN @start_date AND @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("a second BETWEEN with the same dates",
            "SELECT * FROM metrics WHERE date BETWEEN '2025-06-01' AND '2025-06-30' OR created BETWEEN DATE '2025-06-01' AND '2025-06-30'",
            "SELECT * FROM metrics WHERE date BETWEEN @start_date AND @end_date OR created BETWEEN @start_date AND @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("a second BETWEEN with other dates keeps its literals",
            "SELECT * FROM metrics WHERE date BETWEEN '2025-06-01' AND '2025-06-30' OR created BETWEEN '2025-07-01' AND '2025-07-31'",
            "SELECT * FROM metrics WHERE date BETWEEN @start_date AND @end_date OR created BETWEEN '2025-07-01' AND '2025-07-31'",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("a second INTERVAL with another day count keeps its literal",
            "SELECT * FROM metrics WHERE date >= CURRENT_DATE - INTERVAL '30' DAY AND created >= CURRENT_DATE - INTERVAL '7' DAY",
            "SELECT * FROM metrics WHERE date >= @as_of - make_interval(days => @day_range) AND created >= @as_of - INTERVAL '7' DAY",
            DayRange("30"), AsOf);
        yield return Case("a second INTERVAL with the same day count in another form",
            "SELECT * FROM metrics WHERE date >= CURRENT_DATE - INTERVAL '30' DAY AND created >= CURRENT_DATE - '30 days'::interval",
            "SELECT * FROM metrics WHERE date >= @as_of - make_interval(days => @day_range) AND created >= @as_of - make_interval(days => @day_range)",
            DayRange("30"), AsOf);
        yield return Case("window, interval and current date together",
            "SELECT * FROM metrics WHERE date BETWEEN '2025-01-01' AND '2025-12-31' AND created >= CURRENT_DATE - INTERVAL '90' DAY",
            "SELECT * FROM metrics WHERE date BETWEEN @start_date AND @end_date AND created >= @as_of - make_interval(days => @day_range)",
            [.. Window("2025-01-01", "2025-12-31"), DayRange("90"), AsOf]);
        yield return Case("a rolling window written with BETWEEN",
            "SELECT * FROM metrics WHERE DATE(date) BETWEEN CURRENT_DATE - INTERVAL '7' DAY AND CURRENT_DATE",
            "SELECT * FROM metrics WHERE DATE(date) BETWEEN @as_of - make_interval(days => @day_range) AND @as_of",
            DayRange("7"), AsOf);
        yield return Case("CURRENT_DATE alone",
            "SELECT * FROM metrics WHERE DATE(date) = CURRENT_DATE",
            "SELECT * FROM metrics WHERE DATE(date) = @as_of",
            AsOf);
        yield return Case("an upper-case unit in INTERVAL 'N DAYS'",
            "SELECT * FROM metrics WHERE date >= now() - INTERVAL '14 DAYS'",
            "SELECT * FROM metrics WHERE date >= now() - make_interval(days => @day_range)",
            DayRange("14"));
        yield return Case("comments inside a window are kept",
            "SELECT * FROM metrics WHERE date BETWEEN /* from */ '2025-06-01' AND /* to */ '2025-06-30'",
            "SELECT * FROM metrics WHERE date BETWEEN /* from */ @start_date AND /* to */ @end_date",
            Window("2025-06-01", "2025-06-30"));
        yield return Case("no date literal, trailing semicolon",
            "SELECT alert_type, COUNT(*) FROM metrics GROUP BY alert_type;",
            "SELECT alert_type, COUNT(*) FROM metrics GROUP BY alert_type");
        yield return Case("multi-line SQL with a title comment",
            "-- Cost avoided, last 30 days\nSELECT DATE(date) AS day\nFROM metrics\nWHERE date >= CURRENT_DATE - INTERVAL '30' DAY\nORDER BY day;\n",
            "-- Cost avoided, last 30 days\nSELECT DATE(date) AS day\nFROM metrics\nWHERE date >= @as_of - make_interval(days => @day_range)\nORDER BY day\n",
            DayRange("30"), AsOf);
    }

    private static IEnumerable<TestCaseData> LeftAlone()
    {
        yield return Same("AVG(x)::DECIMAL(10,2)", "SELECT AVG(x)::DECIMAL(10,2) AS avg_x FROM metrics");
        yield return Same("date literals inside a string",
            "SELECT * FROM metrics WHERE alert_category <> 'BETWEEN ''2025-01-01'' AND ''2025-01-31'''");
        yield return Same("CURRENT_DATE inside a line comment",
            "SELECT * FROM metrics -- since CURRENT_DATE - INTERVAL '30' DAY\nWHERE id = 'q1'");
        yield return Same("CURRENT_DATE inside a block comment",
            "SELECT * FROM metrics /* date BETWEEN '2025-06-01' AND '2025-06-30' AND CURRENT_DATE */ WHERE id = 'q1'");
        yield return Same("a quoted identifier \"current_date\"", "SELECT \"current_date\" FROM metrics");
        yield return Same("a column t.current_date", "SELECT t.current_date, t.CURRENT_DATE FROM metrics t");
        yield return Same("CURRENT_DATE inside a dollar-quoted string", "SELECT $$CURRENT_DATE - INTERVAL '30' DAY$$ AS note");
        yield return Same("an invalid month", "SELECT * FROM metrics WHERE date BETWEEN '2025-13-01' AND '2025-12-31'");
        yield return Same("an invalid end day", "SELECT * FROM metrics WHERE date BETWEEN '2025-02-01' AND '2025-02-30'");
        yield return Same("a date with a time", "SELECT * FROM metrics WHERE date BETWEEN '2025-06-01 00:00:00' AND '2025-06-30 23:59:59'");
        yield return Same("BETWEEN numbers", "SELECT * FROM metrics WHERE parts_flagged BETWEEN 1 AND 10");
        yield return Same("a lone date comparison", "SELECT * FROM metrics WHERE date >= '2025-06-01'");
        yield return Same("INTERVAL in months", "SELECT * FROM metrics WHERE date >= now() - INTERVAL '1 month'");
        yield return Same("INTERVAL 'N' without a unit, which PostgreSQL reads as seconds",
            "SELECT * FROM metrics WHERE date >= now() - INTERVAL '30'");
        yield return Same("'N'::interval without a unit", "SELECT * FROM metrics WHERE date >= now() - '30'::interval");
        yield return Same("no date literal at all", "SELECT alert_type, COUNT(*) FROM metrics GROUP BY alert_type");
    }

    [TestCaseSource(nameof(Rewrites))]
    public void Date_literals_become_parameters_with_the_literals_as_defaults(
        string sql, string expectedSql, QueryParameter[] expectedParameters)
    {
        var template = QueryTemplate.Parameterise(sql);

        template.ParameterisedSql.ShouldBe(expectedSql);
        template.Parameters.ShouldBe(expectedParameters);
        template.OriginalSql.ShouldBe(sql);
    }

    [TestCaseSource(nameof(LeftAlone))]
    public void Sql_without_a_recognised_date_literal_is_left_unchanged(string sql)
    {
        var template = QueryTemplate.Parameterise(sql);

        template.ParameterisedSql.ShouldBe(sql);
        template.Parameters.ShouldBeEmpty();
    }

    [TestCase("SELECT 1;", "SELECT 1")]
    [TestCase("SELECT 1;;", "SELECT 1")]
    [TestCase("SELECT 1 ; ;", "SELECT 1  ")]
    [TestCase("SELECT 1; -- done", "SELECT 1 -- done")]
    [TestCase("SELECT 1;\n", "SELECT 1\n")]
    [TestCase("SELECT ';' AS semicolon", "SELECT ';' AS semicolon")]
    [TestCase("SELECT 1; SELECT 2", "SELECT 1; SELECT 2")]
    public void Trailing_semicolons_are_removed(string sql, string expected)
    {
        var template = QueryTemplate.Parameterise(sql);

        template.ParameterisedSql.ShouldBe(expected);
        template.OriginalSql.ShouldBe(sql);
        template.Parameters.ShouldBeEmpty();
    }

    [Test]
    public void Defaults_are_keyed_by_parameter_name()
    {
        var template = QueryTemplate.Parameterise(
            "SELECT * FROM m WHERE date BETWEEN '2025-06-01' AND '2025-06-30' AND created >= CURRENT_DATE - INTERVAL '30' DAY");

        template.Defaults.ShouldBe(new Dictionary<string, string?>
        {
            ["start_date"] = "2025-06-01",
            ["end_date"] = "2025-06-30",
            ["day_range"] = "30",
            ["as_of"] = null,
        });
    }

    [TestCase("-- Cost avoided, last 30 days\nSELECT 1", "Cost avoided, last 30 days")]
    [TestCase("--   Padded title   \nSELECT 1", "Padded title")]
    [TestCase("-- Windows line end\r\nSELECT 1", "Windows line end")]
    [TestCase("\n\n  -- After blank lines\nSELECT 1", "After blank lines")]
    [TestCase("---- Dashes ----\nSELECT 1", "Dashes ----")]
    [TestCase("-- Only a comment", "Only a comment")]
    [TestCase("--\nSELECT 1", null)]
    [TestCase("--   \nSELECT 1", null)]
    [TestCase("SELECT 1 -- trailing comment", null)]
    [TestCase("SELECT 1\n-- second line", null)]
    [TestCase("/* block */\nSELECT 1", null)]
    [TestCase("", null)]
    public void The_title_is_the_text_of_a_leading_line_comment(string sql, string? expected)
    {
        QueryTemplate.TitleOf(sql).ShouldBe(expected);
    }

    [Test]
    public void Parameterise_takes_the_title_from_the_original_sql()
    {
        var template = QueryTemplate.Parameterise("-- Alerts by type\nSELECT * FROM m WHERE date BETWEEN '2025-06-01' AND '2025-06-30';");

        template.Title.ShouldBe("Alerts by type");
    }

    [Test]
    public void Parameterise_gives_no_title_without_a_leading_comment()
    {
        var template = QueryTemplate.Parameterise("SELECT 1");

        template.Title.ShouldBeNull();
    }

    [Test]
    public void Already_parameterised_sql_is_kept_as_given()
    {
        QueryParameter[] parameters = [DayRange("30"), AsOf];

        var template = QueryTemplate.FromParameterised("-- Generated\nSELECT * FROM m WHERE date >= @as_of - make_interval(days => @day_range)", parameters);

        template.ParameterisedSql.ShouldBe(template.OriginalSql);
        template.Parameters.ShouldBe(parameters);
        template.Title.ShouldBe("Generated");
    }

    private static QueryParameter[] Window(string start, string end) =>
    [
        new("start_date", QueryParameterType.Date, start),
        new("end_date", QueryParameterType.Date, end),
    ];

    private static QueryParameter DayRange(string days) => new("day_range", QueryParameterType.Integer, days);

    private static TestCaseData Case(string name, string sql, string expectedSql, params QueryParameter[] parameters) =>
        new TestCaseData(sql, expectedSql, parameters).SetArgDisplayNames(name);

    private static TestCaseData Same(string name, string sql) => new TestCaseData(sql).SetArgDisplayNames(name);
}
