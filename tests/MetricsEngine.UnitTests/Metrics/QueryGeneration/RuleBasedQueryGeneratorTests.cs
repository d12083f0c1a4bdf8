using MetricsEngine.Application.Metrics.QueryGeneration;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.UnitTests.Metrics.QueryGeneration;

/// <summary>
/// The default prompt-to-SQL generator: which measure, aggregate, filter, grouping and window a
/// prompt gives, the raw-records fallback, determinism, the title, and that a prompt or query id
/// cannot change the SQL's meaning.
/// </summary>
public sealed class RuleBasedQueryGeneratorTests
{
    private const string QueryId = "q_test";

    private const string Rolling = "date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of";
    private const string Fixed = "DATE(date) BETWEEN @start_date AND @end_date";
    private const string ThisWeek = "date >= date_trunc('week', @as_of::timestamp) AND date < date_trunc('week', @as_of::timestamp) + INTERVAL '1 week'";
    private const string ThisMonth = "date >= date_trunc('month', @as_of::timestamp) AND date < date_trunc('month', @as_of::timestamp) + INTERVAL '1 month'";
    private const string ThisYear = "date >= date_trunc('year', @as_of::timestamp) AND date < date_trunc('year', @as_of::timestamp) + INTERVAL '1 year'";
    private const string Today = "DATE(date) = @as_of";
    private const string Yesterday = "DATE(date) = @as_of - 1";

    private const string ByDay = "GROUP BY DATE(date)\nORDER BY day";
    private const string ByWeek = "GROUP BY date_trunc('week', date)::date\nORDER BY week";
    private const string ByMonth = "GROUP BY date_trunc('month', date)::date\nORDER BY month";

    private static readonly QueryParameter AsOf = new("as_of", QueryParameterType.Date, null);

    /// <summary>
    /// What each prompt must give: the SELECT line, the extra filter (null: only the id and the
    /// window), the GROUP BY/ORDER BY lines (null: none), the window condition and the parameters.
    /// </summary>
    private static IEnumerable<TestCaseData> Prompts()
    {
        // Cost avoided: total, average, daily, weekly, monthly.
        yield return Case("Total cost avoided in June 2025",
            "SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", null,
            Fixed, Window("2025-06-01", "2025-06-30"));
        yield return Case("Average cost avoided last 30 days",
            "ROUND(AVG(obsolescence), 2) AS avg_obsolescence", "obsolescence IS NOT NULL", null,
            Rolling, Days("30"), AsOf);
        yield return Case("Cost avoided per day this month",
            "DATE(date) AS day, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByDay,
            ThisMonth, AsOf);
        yield return Case("Daily cost avoided from March 2025 to April 2025",
            "DATE(date) AS day, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByDay,
            Fixed, Window("2025-03-01", "2025-04-30"));
        yield return Case("Weekly cost avoided in 2025",
            "date_trunc('week', date)::date AS week, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByWeek,
            Fixed, Window("2025-01-01", "2025-12-31"));
        yield return Case("Monthly cost avoided this year",
            "date_trunc('month', date)::date AS month, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByMonth,
            ThisYear, AsOf);
        yield return Case("Cost avoided per week last 90 days",
            "date_trunc('week', date)::date AS week, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByWeek,
            Rolling, Days("90"), AsOf);
        yield return Case("Savings per month from Jan 2025 to Mar 2025",
            "date_trunc('month', date)::date AS month, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByMonth,
            Fixed, Window("2025-01-01", "2025-03-31"));
        yield return Case("Total obsolescence last 30 days",
            "SUM(obsolescence) AS total_obsolescence", "obsolescence IS NOT NULL", null,
            Rolling, Days("30"), AsOf);
        yield return Case("Mean cost avoided previous 3 months",
            "ROUND(AVG(obsolescence), 2) AS avg_obsolescence", "obsolescence IS NOT NULL", null,
            Rolling, Days("90"), AsOf);
        yield return Case("Cost avoided in the past month",
            "SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", null,
            Rolling, Days("30"), AsOf);

        // Obsolescence values: average (the default), maximum, minimum.
        yield return Case("Average obsolescence value in June 2025",
            "ROUND(AVG(obsolescence_val), 2) AS avg_obsolescence_val", "obsolescence_val IS NOT NULL", null,
            Fixed, Window("2025-06-01", "2025-06-30"));
        yield return Case("Maximum obsolescence value last week",
            "MAX(obsolescence_val) AS max_obsolescence_val", "obsolescence_val IS NOT NULL", null,
            Rolling, Days("7"), AsOf);
        yield return Case("Lowest obsolescence values between 2025-06-01 and 2025-06-30",
            "MIN(obsolescence_val) AS min_obsolescence_val", "obsolescence_val IS NOT NULL", null,
            Fixed, Window("2025-06-01", "2025-06-30"));
        yield return Case("Obsolescence values per day past 2 weeks",
            "DATE(date) AS day, ROUND(AVG(obsolescence_val), 2) AS avg_obsolescence_val", "obsolescence_val IS NOT NULL", ByDay,
            Rolling, Days("14"), AsOf);

        // Parts flagged: total, per day, count, peak.
        yield return Case("Total parts flagged this week",
            "SUM(parts_flagged) AS parts_flagged", "parts_flagged IS NOT NULL", null,
            ThisWeek, AsOf);
        yield return Case("Parts flagged per day last 30 days",
            "DATE(date) AS day, SUM(parts_flagged) AS parts_flagged", "parts_flagged IS NOT NULL", ByDay,
            Rolling, Days("30"), AsOf);
        yield return Case("Number of parts flagged in May 2025",
            "COUNT(parts_flagged) AS parts_flagged_count", "parts_flagged IS NOT NULL", null,
            Fixed, Window("2025-05-01", "2025-05-31"));
        yield return Case("Peak parts flagged per week in 2025",
            "date_trunc('week', date)::date AS week, MAX(parts_flagged) AS max_parts_flagged", "parts_flagged IS NOT NULL", ByWeek,
            Fixed, Window("2025-01-01", "2025-12-31"));

        // Alerts by type and by category.
        yield return Case("Alerts by type in June 2025",
            "alert_type, COUNT(*) AS total_alerts", "alert_type IS NOT NULL", "GROUP BY alert_type\nORDER BY alert_type",
            Fixed, Window("2025-06-01", "2025-06-30"));
        yield return Case("Alert types from 2025-01-01 to 2025-01-31",
            "alert_type, COUNT(*) AS total_alerts", "alert_type IS NOT NULL", "GROUP BY alert_type\nORDER BY alert_type",
            Fixed, Window("2025-01-01", "2025-01-31"));
        yield return Case("Alerts by category from Jan 2025 to Mar 2025",
            "alert_category, COUNT(*) AS total_alerts", "alert_category IS NOT NULL", "GROUP BY alert_category\nORDER BY alert_category",
            Fixed, Window("2025-01-01", "2025-03-31"));
        yield return Case("Alerts per alert category this week",
            "alert_category, COUNT(*) AS total_alerts", "alert_category IS NOT NULL", "GROUP BY alert_category\nORDER BY alert_category",
            ThisWeek, AsOf);
        yield return Case("Critical alerts by type per day last week",
            "DATE(date) AS day, alert_type, COUNT(*) AS total_alerts", "alert_type IS NOT NULL AND alert_type = 'Critical'",
            "GROUP BY DATE(date), alert_type\nORDER BY day, alert_type",
            Rolling, Days("7"), AsOf);

        // Alerts by severity, counts of alerts, alerts needing approval.
        yield return Case("Critical alerts yesterday",
            "COUNT(*) AS critical_alerts", "alert_type = 'Critical'", null,
            Yesterday, AsOf);
        yield return Case("Warning alerts today",
            "COUNT(*) AS warning_alerts", "alert_type = 'Warning'", null,
            Today, AsOf);
        yield return Case("Info alerts this year",
            "COUNT(*) AS info_alerts", "alert_type = 'Info'", null,
            ThisYear, AsOf);
        yield return Case("How many warning alerts in the last 2 months",
            "COUNT(*) AS warning_alerts", "alert_type = 'Warning'", null,
            Rolling, Days("60"), AsOf);
        yield return Case("Count of alerts last 90 days",
            "COUNT(*) AS total_alerts", "(alert_type IS NOT NULL OR alert_category IS NOT NULL)", null,
            Rolling, Days("90"), AsOf);
        yield return Case("Alerts needing approval this month",
            "COUNT(*) AS alerts_needing_approval", "alert_category = 'Need Approval'", null,
            ThisMonth, AsOf);
        yield return Case("Metrics needing approval from March 2025 to April 2025",
            "COUNT(*) AS alerts_needing_approval", "alert_category = 'Need Approval'", null,
            Fixed, Window("2025-03-01", "2025-04-30"));
        yield return Case("Need approval alerts between March and April 2025",
            "COUNT(*) AS alerts_needing_approval", "alert_category = 'Need Approval'", null,
            Fixed, Window("2025-03-01", "2025-04-30"));
        yield return Case("Critical alerts needing approval in 2025",
            "COUNT(*) AS alerts_needing_approval", "alert_category = 'Need Approval' AND alert_type = 'Critical'", null,
            Fixed, Window("2025-01-01", "2025-12-31"));

        // Case and whitespace do not matter; dates in the wrong order are put in order.
        yield return Case("TOTAL COST AVOIDED IN JUNE 2025",
            "SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", null,
            Fixed, Window("2025-06-01", "2025-06-30"));
        yield return Case("   cost   avoided\tper   DAY \n  LAST  30   days  ",
            "DATE(date) AS day, SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", ByDay,
            Rolling, Days("30"), AsOf);
        yield return Case("Cost avoided between 2025-06-30 and 2025-06-01",
            "SUM(obsolescence) AS cost_avoided", "obsolescence IS NOT NULL", null,
            Fixed, Window("2025-06-01", "2025-06-30"));
    }

    /// <summary>The whole SQL for a sample of prompts, so that any change of shape is caught.</summary>
    private static IEnumerable<TestCaseData> ExactQueries()
    {
        yield return Exact("Metrics needing approval from March 2025 to April 2025", """
            -- Metrics needing approval from March 2025 to April 2025
            SELECT COUNT(*) AS alerts_needing_approval
            FROM metrics
            WHERE id = 'q_test'
              AND alert_category = 'Need Approval'
              AND DATE(date) BETWEEN @start_date AND @end_date
            """, Window("2025-03-01", "2025-04-30"));
        yield return Exact("Total cost avoided in June 2025", """
            -- Total cost avoided in June 2025
            SELECT SUM(obsolescence) AS cost_avoided
            FROM metrics
            WHERE id = 'q_test'
              AND obsolescence IS NOT NULL
              AND DATE(date) BETWEEN @start_date AND @end_date
            """, Window("2025-06-01", "2025-06-30"));
        yield return Exact("Average cost avoided last 30 days", """
            -- Average cost avoided last 30 days
            SELECT ROUND(AVG(obsolescence), 2) AS avg_obsolescence
            FROM metrics
            WHERE id = 'q_test'
              AND obsolescence IS NOT NULL
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            """, Days("30"), AsOf);
        yield return Exact("Cost avoided per day this month", """
            -- Cost avoided per day this month
            SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided
            FROM metrics
            WHERE id = 'q_test'
              AND obsolescence IS NOT NULL
              AND date >= date_trunc('month', @as_of::timestamp) AND date < date_trunc('month', @as_of::timestamp) + INTERVAL '1 month'
            GROUP BY DATE(date)
            ORDER BY day
            """, AsOf);
        yield return Exact("Weekly cost avoided in 2025", """
            -- Weekly cost avoided in 2025
            SELECT date_trunc('week', date)::date AS week, SUM(obsolescence) AS cost_avoided
            FROM metrics
            WHERE id = 'q_test'
              AND obsolescence IS NOT NULL
              AND DATE(date) BETWEEN @start_date AND @end_date
            GROUP BY date_trunc('week', date)::date
            ORDER BY week
            """, Window("2025-01-01", "2025-12-31"));
        yield return Exact("Maximum obsolescence value last week", """
            -- Maximum obsolescence value last week
            SELECT MAX(obsolescence_val) AS max_obsolescence_val
            FROM metrics
            WHERE id = 'q_test'
              AND obsolescence_val IS NOT NULL
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            """, Days("7"), AsOf);
        yield return Exact("Parts flagged per day last 30 days", """
            -- Parts flagged per day last 30 days
            SELECT DATE(date) AS day, SUM(parts_flagged) AS parts_flagged
            FROM metrics
            WHERE id = 'q_test'
              AND parts_flagged IS NOT NULL
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            GROUP BY DATE(date)
            ORDER BY day
            """, Days("30"), AsOf);
        yield return Exact("Alerts by type in June 2025", """
            -- Alerts by type in June 2025
            SELECT alert_type, COUNT(*) AS total_alerts
            FROM metrics
            WHERE id = 'q_test'
              AND alert_type IS NOT NULL
              AND DATE(date) BETWEEN @start_date AND @end_date
            GROUP BY alert_type
            ORDER BY alert_type
            """, Window("2025-06-01", "2025-06-30"));
        yield return Exact("Alerts by category from Jan 2025 to Mar 2025", """
            -- Alerts by category from Jan 2025 to Mar 2025
            SELECT alert_category, COUNT(*) AS total_alerts
            FROM metrics
            WHERE id = 'q_test'
              AND alert_category IS NOT NULL
              AND DATE(date) BETWEEN @start_date AND @end_date
            GROUP BY alert_category
            ORDER BY alert_category
            """, Window("2025-01-01", "2025-03-31"));
        yield return Exact("Critical alerts by type per day last week", """
            -- Critical alerts by type per day last week
            SELECT DATE(date) AS day, alert_type, COUNT(*) AS total_alerts
            FROM metrics
            WHERE id = 'q_test'
              AND alert_type IS NOT NULL AND alert_type = 'Critical'
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            GROUP BY DATE(date), alert_type
            ORDER BY day, alert_type
            """, Days("7"), AsOf);
        yield return Exact("Critical alerts yesterday", """
            -- Critical alerts yesterday
            SELECT COUNT(*) AS critical_alerts
            FROM metrics
            WHERE id = 'q_test'
              AND alert_type = 'Critical'
              AND DATE(date) = @as_of - 1
            """, AsOf);
        yield return Exact("Count of alerts last 90 days", """
            -- Count of alerts last 90 days
            SELECT COUNT(*) AS total_alerts
            FROM metrics
            WHERE id = 'q_test'
              AND (alert_type IS NOT NULL OR alert_category IS NOT NULL)
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            """, Days("90"), AsOf);
        yield return Exact("Total parts flagged this week", """
            -- Total parts flagged this week
            SELECT SUM(parts_flagged) AS parts_flagged
            FROM metrics
            WHERE id = 'q_test'
              AND parts_flagged IS NOT NULL
              AND date >= date_trunc('week', @as_of::timestamp) AND date < date_trunc('week', @as_of::timestamp) + INTERVAL '1 week'
            """, AsOf);
        yield return Exact("   cost   avoided\tper   DAY \n  LAST  30   days  ", """
            -- Cost avoided per DAY LAST 30 days
            SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided
            FROM metrics
            WHERE id = 'q_test'
              AND obsolescence IS NOT NULL
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            GROUP BY DATE(date)
            ORDER BY day
            """, Days("30"), AsOf);
        yield return Exact("Shut up and dance", """
            -- Shut up and dance
            SELECT date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category
            FROM metrics
            WHERE id = 'q_test'
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            ORDER BY date DESC
            """, Days("30"), AsOf);
    }

    [TestCaseSource(nameof(Prompts))]
    public void A_prompt_gives_its_measure_filter_grouping_window_and_defaults(
        string prompt, string select, string? filter, string? grouping, string window, QueryParameter[] parameters)
    {
        var template = RuleBasedQueryGenerator.Generate(prompt, QueryId).Template;
        var lines = template.ParameterisedSql.Split('\n');

        lines[1].ShouldBe("SELECT " + select);
        lines[2].ShouldBe("FROM metrics");
        lines[3].ShouldBe("WHERE id = 'q_test'");
        lines.Where(l => l.StartsWith("  AND ", StringComparison.Ordinal)).ShouldBe(
            filter is null ? ["  AND " + window] : ["  AND " + filter, "  AND " + window]);
        string.Join('\n', lines.SkipWhile(l => !l.StartsWith("GROUP BY", StringComparison.Ordinal)))
            .ShouldBe(grouping ?? "");
        template.Parameters.ShouldBe(parameters);
        template.OriginalSql.ShouldBe(template.ParameterisedSql);
    }

    [TestCaseSource(nameof(ExactQueries))]
    public void A_prompt_gives_exactly_this_sql(string prompt, string sql, QueryParameter[] parameters)
    {
        var template = RuleBasedQueryGenerator.Generate(prompt, QueryId).Template;

        template.ParameterisedSql.ShouldBe(sql);
        template.Parameters.ShouldBe(parameters);
    }

    [Test]
    public void The_acceptance_example_filters_to_need_approval_between_march_and_april_2025()
    {
        var generated = RuleBasedQueryGenerator.Generate("Metrics needing approval from March 2025 to April 2025", "q_0123abcd");

        generated.Title.ShouldBe("Metrics needing approval from March 2025 to April 2025");
        generated.Template.ParameterisedSql.ShouldBe("""
            -- Metrics needing approval from March 2025 to April 2025
            SELECT COUNT(*) AS alerts_needing_approval
            FROM metrics
            WHERE id = 'q_0123abcd'
              AND alert_category = 'Need Approval'
              AND DATE(date) BETWEEN @start_date AND @end_date
            """);
        generated.Template.Defaults.ShouldBe(new Dictionary<string, string?>
        {
            ["start_date"] = "2025-03-01",
            ["end_date"] = "2025-04-30",
        });
    }

    [TestCase("shut up and dance")]
    [TestCase("")]
    [TestCase("  ")]
    [TestCase("tell me a joke")]
    [TestCase("\t\n")]
    [TestCase("records")]
    public void An_unrecognised_prompt_gives_the_raw_records_of_the_last_30_days(string prompt)
    {
        var generated = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        generated.Template.ParameterisedSql.ShouldBe($"""
            -- {generated.Title}
            SELECT date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category
            FROM metrics
            WHERE id = 'q_test'
              AND date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of
            ORDER BY date DESC
            """);
        generated.Template.Parameters.ShouldBe([Days("30"), AsOf]);
    }

    [Test]
    public void An_unrecognised_measure_keeps_a_window_the_prompt_names()
    {
        var template = RuleBasedQueryGenerator.Generate("Everything in June 2025", QueryId).Template;

        template.ParameterisedSql.ShouldBe("""
            -- Everything in June 2025
            SELECT date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category
            FROM metrics
            WHERE id = 'q_test'
              AND DATE(date) BETWEEN @start_date AND @end_date
            ORDER BY date DESC
            """);
        template.Parameters.ShouldBe(Window("2025-06-01", "2025-06-30"));
    }

    [TestCase("Cost avoided per day last 30 days")]
    [TestCase("Metrics needing approval from March 2025 to April 2025")]
    [TestCase("Alerts by type this month")]
    [TestCase("shut up and dance")]
    public void The_same_prompt_always_gives_the_same_query(string prompt)
    {
        var first = RuleBasedQueryGenerator.Generate(prompt, QueryId);
        var second = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        second.Title.ShouldBe(first.Title);
        second.Template.ParameterisedSql.ShouldBe(first.Template.ParameterisedSql);
        second.Template.OriginalSql.ShouldBe(first.Template.OriginalSql);
        second.Template.Title.ShouldBe(first.Template.Title);
        second.Template.Parameters.ShouldBe(first.Template.Parameters);
    }

    [TestCase("Cost avoided per day last 30 days")]
    [TestCase("Metrics needing approval from March 2025 to April 2025")]
    [TestCase("shut up and dance")]
    public void Another_query_id_changes_only_the_id_literal(string prompt)
    {
        var mine = RuleBasedQueryGenerator.Generate(prompt, "q_1");
        var other = RuleBasedQueryGenerator.Generate(prompt, "q_0123456789abcdef0123456789abcdef");

        Occurrences(mine.Template.ParameterisedSql, "'q_1'").ShouldBe(1);
        other.Template.ParameterisedSql.ShouldBe(
            mine.Template.ParameterisedSql.Replace("id = 'q_1'", "id = 'q_0123456789abcdef0123456789abcdef'", StringComparison.Ordinal));
        other.Template.Parameters.ShouldBe(mine.Template.Parameters);
        other.Title.ShouldBe(mine.Title);
    }

    [TestCase("cost avoided per day", "Cost avoided per day")]
    [TestCase("  cost   avoided \t per\nday  ", "Cost avoided per day")]
    [TestCase("alerts by TYPE", "Alerts by TYPE")]
    [TestCase("ÉTÉ cost avoided", "ÉTÉ cost avoided")]
    [TestCase("été cost avoided", "Été cost avoided")]
    [TestCase("2025 cost avoided", "2025 cost avoided")]
    [TestCase("x", "X")]
    [TestCase("", "Untitled metric")]
    [TestCase(" \t\r\n ", "Untitled metric")]
    public void The_title_is_the_prompt_capitalised_with_whitespace_collapsed(string prompt, string title)
    {
        var generated = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        generated.Title.ShouldBe(title);
        generated.Template.Title.ShouldBe(title);
        generated.Template.ParameterisedSql.Split('\n')[0].ShouldBe("-- " + title);
    }

    [Test]
    public void A_title_of_300_characters_is_kept_whole()
    {
        var prompt = "cost avoided " + new string('x', 287);

        var generated = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        prompt.Length.ShouldBe(300);
        generated.Title.ShouldBe("C" + prompt[1..]);
        generated.Template.ParameterisedSql.Split('\n')[0].ShouldBe("-- " + generated.Title);
    }

    [Test]
    public void A_longer_title_is_cut_to_300_characters_ending_in_an_ellipsis()
    {
        var prompt = "cost avoided " + new string('x', 288);

        var generated = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        generated.Title.Length.ShouldBe(300);
        generated.Title.ShouldBe("C" + prompt[1..299] + "…");
        generated.Template.ParameterisedSql.Split('\n')[0].ShouldBe("-- " + generated.Title);
    }

    [TestCase("q'1")]
    [TestCase("q 1")]
    [TestCase("q1' OR '1'='1")]
    [TestCase("q1;")]
    [TestCase("q-1")]
    [TestCase("")]
    public void A_query_id_other_than_letters_digits_and_underscores_is_refused(string queryId)
    {
        var exception = Should.Throw<ArgumentException>(() => RuleBasedQueryGenerator.Generate("Cost avoided per day", queryId));

        exception.ParamName.ShouldBe("queryId");
    }

    [TestCase("Cost avoided'; DROP TABLE x; --", "Cost avoided'; DROP TABLE x; --", "Cost avoided")]
    [TestCase("Cost avoided\n; DROP TABLE x; --", "Cost avoided ; DROP TABLE x; --", "Cost avoided")]
    [TestCase("Cost avoided\r\nDROP TABLE x", "Cost avoided DROP TABLE x", "Cost avoided")]
    [TestCase("Cost avoided\u2028DROP TABLE x", "Cost avoided DROP TABLE x", "Cost avoided")]
    [TestCase("Alerts needing approval'); DROP TABLE metrics; /*", "Alerts needing approval'); DROP TABLE metrics; /*", "Alerts needing approval")]
    [TestCase("Alerts by type */ ; DROP TABLE x; --\n", "Alerts by type */ ; DROP TABLE x; --", "Alerts by type")]
    [TestCase("'; DROP TABLE x; --", "'; DROP TABLE x; --", "")]
    public void A_hostile_prompt_stays_inside_the_title_comment(string prompt, string title, string harmlessPrompt)
    {
        var sql = RuleBasedQueryGenerator.Generate(prompt, QueryId).Template.ParameterisedSql;
        var harmless = RuleBasedQueryGenerator.Generate(harmlessPrompt, QueryId).Template.ParameterisedSql;
        var lines = sql.Split('\n');

        QueryShape.Problem(sql).ShouldBeNull();
        lines[0].ShouldBe("-- " + title);
        lines.Skip(1).ShouldBe(harmless.Split('\n').Skip(1));
        lines.Skip(1).ShouldAllBe(l => !l.Contains("DROP", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("--", StringComparison.Ordinal));
        var tokens = SqlLexer.Tokenize(sql);
        tokens[0].Kind.ShouldBe(SqlTokenKind.LineComment);
        tokens[0].Text.ShouldBe("-- " + title);
        tokens.Count(t => t.Kind == SqlTokenKind.LineComment).ShouldBe(1);
    }

    [TestCase("Cost avoided between 2025-06-30 and 2025-06-01", "2025-06-01", "2025-06-30")]
    [TestCase("Cost avoided from 2025-04-30 to 2025-03-01", "2025-03-01", "2025-04-30")]
    public void Dates_given_in_the_wrong_order_are_put_in_order(string prompt, string start, string end)
    {
        var template = RuleBasedQueryGenerator.Generate(prompt, QueryId).Template;

        template.ParameterisedSql.ShouldContain("  AND " + Fixed);
        template.Parameters.ShouldBe(Window(start, end));
    }

    [Test]
    public async Task Generate_async_gives_what_generate_gives()
    {
        const string prompt = "Alerts by category this month";
        var expected = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        var actual = await new RuleBasedQueryGenerator().GenerateAsync(prompt, QueryId, CancellationToken.None);

        actual.Title.ShouldBe(expected.Title);
        actual.Template.ParameterisedSql.ShouldBe(expected.Template.ParameterisedSql);
        actual.Template.Parameters.ShouldBe(expected.Template.Parameters);
    }

    private static TestCaseData Case(
        string prompt, string select, string? filter, string? grouping, string window, params QueryParameter[] parameters) =>
        new TestCaseData(prompt, select, filter, grouping, window, parameters).SetArgDisplayNames(Quoted(prompt));

    private static TestCaseData Exact(string prompt, string sql, params QueryParameter[] parameters) =>
        new TestCaseData(prompt, sql, parameters).SetArgDisplayNames(Quoted(prompt));

    private static string Quoted(string prompt) => "\"" + prompt.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    private static QueryParameter[] Window(string start, string end) =>
        [new("start_date", QueryParameterType.Date, start), new("end_date", QueryParameterType.Date, end)];

    private static QueryParameter Days(string days) => new("day_range", QueryParameterType.Integer, days);

    private static int Occurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    [TestCase("Cost avoided from April 2025 to March 2025")]
    [TestCase("Cost avoided between April and March 2025")]
    public void Months_given_in_the_wrong_order_are_put_in_order(string prompt)
    {
        var template = RuleBasedQueryGenerator.Generate(prompt, QueryId).Template;

        template.ParameterisedSql.ShouldContain("  AND DATE(date) BETWEEN @start_date AND @end_date");
        template.Parameters.ShouldBe(Window("2025-03-01", "2025-04-30"));
    }

    [Test]
    public void A_month_range_across_new_year_starts_in_the_previous_year() =>
        RuleBasedQueryGenerator.Generate("Cost avoided from December to January 2025", QueryId).Template.Parameters
            .ShouldBe(Window("2024-12-01", "2025-01-31"));

    [TestCase("Critical alerts today?", "DATE(date) = @as_of")]
    [TestCase("How many alerts today, please", "DATE(date) = @as_of")]
    [TestCase("Cost avoided yesterday.", "DATE(date) = @as_of - 1")]
    public void Today_and_yesterday_are_understood_next_to_punctuation(string prompt, string window)
    {
        var template = RuleBasedQueryGenerator.Generate(prompt, QueryId).Template;

        template.ParameterisedSql.Split('\n').ShouldContain("  AND " + window);
        template.Parameters.ShouldBe([AsOf]);
    }

    [TestCase("Cost avoided in 0000")]
    [TestCase("Cost avoided in June 0000")]
    public void A_year_that_does_not_exist_is_refused_with_the_reason_not_a_crash(string prompt) =>
        Should.Throw<MetricsEngine.Crosscutting.Errors.QueryRejectedException>(() => RuleBasedQueryGenerator.Generate(prompt, QueryId))
            .Message.ShouldBe("The prompt names the year 0000, which is not a calendar year.");

    [Test]
    public void The_last_month_there_is_works() =>
        RuleBasedQueryGenerator.Generate("Cost avoided in December 9999", QueryId).Template.Parameters
            .ShouldBe(Window("9999-12-01", "9999-12-31"));

    [Test]
    public void A_cut_title_does_not_split_a_surrogate_pair()
    {
        var prompt = "cost avoided " + new string('x', 285) + "\U0001F600\U0001F600";

        var generated = RuleBasedQueryGenerator.Generate(prompt, QueryId);

        generated.Title.ShouldBe("C" + prompt[1..298] + "…");
        Should.NotThrow(() => new System.Text.UTF8Encoding(false, true).GetBytes(generated.Template.ParameterisedSql));
    }

    [Test]
    public void Control_characters_in_a_prompt_do_not_reach_the_sql() =>
        RuleBasedQueryGenerator.Generate("cost\0 avoided\u0007 today", QueryId).Template.ParameterisedSql
            .ShouldStartWith("-- Cost avoided today\n");

    [Test]
    public void Approved_is_not_needing_approval() =>
        RuleBasedQueryGenerator.Generate("Approved alerts by type", QueryId).Template.ParameterisedSql
            .ShouldNotContain("Need Approval");

    [Test]
    public void Alerts_needing_approval_by_category_keep_both_the_filter_and_the_grouping()
    {
        var sql = RuleBasedQueryGenerator.Generate("Alerts needing approval by category", QueryId).Template.ParameterisedSql;

        sql.ShouldContain("alert_category = 'Need Approval'");
        sql.ShouldContain("GROUP BY alert_category");
    }

    [Test]
    public void A_number_after_for_is_not_a_year() =>
        RuleBasedQueryGenerator.Generate("Alerts for 2000 parts", QueryId).Template.Parameters.ShouldBe([Days("30"), AsOf]);

    [Test]
    public void An_impossible_date_in_the_prompt_is_refused_with_the_reason() =>
        Should.Throw<MetricsEngine.Crosscutting.Errors.QueryRejectedException>(
                () => RuleBasedQueryGenerator.Generate("Cost avoided between 2025-06-01 and 2025-06-31", QueryId))
            .Message.ShouldBe("The prompt names 2025-06-31, which is not a calendar date.");
}
