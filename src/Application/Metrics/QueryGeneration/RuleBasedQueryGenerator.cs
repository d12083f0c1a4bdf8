using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.QueryGeneration;

/// <summary>
/// The default generator: deterministic rules, no network. It recognises what to measure
/// (cost avoided / obsolescence, obsolescence values, parts flagged, alerts by type or category,
/// alerts needing approval, critical/warning/info alerts), how to aggregate (total, average,
/// count, max, min; daily, weekly, monthly) and the time window ("in June 2025", "from March 2025
/// to April 2025", "between 2025-06-01 and 2025-06-30", "in 2025", "last 30 days", "last week",
/// "this month", "today"). Fixed windows become <c>start_date</c>/<c>end_date</c> with the
/// prompt's dates as defaults; rolling ones <c>day_range</c> and <c>as_of</c>, so they stay
/// current. A prompt it does not understand yields the metric's raw records over the last 30 days.
/// The same prompt always gives the same SQL.
/// </summary>
public sealed partial class RuleBasedQueryGenerator : IQueryGenerator
{
    private const int DefaultDays = 30;

    public Task<GeneratedQuery> GenerateAsync(string prompt, string queryId, CancellationToken cancellationToken) =>
        Task.FromResult(Generate(prompt, queryId));

    public static GeneratedQuery Generate(string prompt, string queryId)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (!SafeQueryId().IsMatch(queryId))
        {
            throw new ArgumentException("Generated queries filter on a query id of letters, digits and underscores.", nameof(queryId));
        }

        var text = " " + string.Join(' ', prompt.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) + " ";
        var title = PromptTitles.From(prompt);
        var window = TimeWindow.From(text);
        var body = Subject.From(text) is { } subject
            ? subject.Sql(queryId, window)
            : RawRecords(queryId, window);
        return new GeneratedQuery(QueryTemplate.FromParameterised($"-- {title}\n{body}", window.Parameters), title);
    }

    private static string RawRecords(string queryId, TimeWindow window) => $"""
        SELECT date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category
        FROM metrics
        WHERE id = '{queryId}'
          AND {window.Condition}
        ORDER BY date DESC
        """;

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex SafeQueryId();

    /// <summary>What to measure, how to aggregate it, by what to group, and which rows to keep.</summary>
    private sealed partial record Subject(string Value, string Alias, string? Filter, string? Category, string? Period = null)
    {
        public static Subject? From(string text) => Measure(text) is { } subject
            ? subject with
            {
                Period = Matches(text, DailyWords()) ? "day" : Matches(text, WeeklyWords()) ? "week" : Matches(text, MonthlyWords()) ? "month" : null,
            }
            : null;

        public string Sql(string queryId, TimeWindow window)
        {
            var columns = new List<string>();
            var groups = new List<string>();
            if (Period is { } period)
            {
                var bucket = period == "day" ? "DATE(date)" : $"date_trunc('{period}', date)::date";
                columns.Add($"{bucket} AS {period}");
                groups.Add(bucket);
            }

            if (Category is { } category)
            {
                columns.Add(category);
                groups.Add(category);
            }

            columns.Add($"{Value} AS {Alias}");
            var sql = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"SELECT {string.Join(", ", columns)}\n")
                .Append("FROM metrics\n")
                .Append(CultureInfo.InvariantCulture, $"WHERE id = '{queryId}'\n");
            if (Filter is { } filter)
            {
                sql.Append(CultureInfo.InvariantCulture, $"  AND {filter}\n");
            }

            sql.Append(CultureInfo.InvariantCulture, $"  AND {window.Condition}");
            if (groups.Count > 0)
            {
                var order = groups.Select((g, i) => i == 0 && Period is not null ? Period : g);
                sql.Append(CultureInfo.InvariantCulture, $"\nGROUP BY {string.Join(", ", groups)}\nORDER BY {string.Join(", ", order)}");
            }

            return sql.ToString();
        }

        private static Subject? Measure(string text)
        {
            var alerts = Matches(text, AlertWords());
            var severity = SeverityWord().Match(text) is { Success: true } s ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(s.Groups[1].Value) : null;
            if (Matches(text, ApprovalWords()))
            {
                var grouping = Matches(text, ByTypeWords()) ? "alert_type" : Matches(text, ByCategoryWords()) ? "alert_category" : null;
                return new("COUNT(*)", "alerts_needing_approval", AndAll("alert_category = 'Need Approval'", SeverityFilter(severity)), grouping);
            }

            if (alerts && Matches(text, ByTypeWords()))
            {
                return new("COUNT(*)", "total_alerts", AndAll("alert_type IS NOT NULL", SeverityFilter(severity)), "alert_type");
            }

            if (alerts && Matches(text, ByCategoryWords()))
            {
                return new("COUNT(*)", "total_alerts", AndAll("alert_category IS NOT NULL", SeverityFilter(severity)), "alert_category");
            }

            if (Matches(text, ObsolescenceValueWords()))
            {
                return Aggregated(text, "obsolescence_val", defaultFunction: "AVG", sumAlias: "total_obsolescence_val");
            }

            if (Matches(text, CostWords()))
            {
                return Aggregated(text, "obsolescence", defaultFunction: "SUM",
                    sumAlias: Matches(text, CostAvoidedWords()) ? "cost_avoided" : "total_obsolescence");
            }

            if (Matches(text, PartsWords()))
            {
                return Aggregated(text, "parts_flagged", defaultFunction: "SUM", sumAlias: "parts_flagged");
            }

            if (alerts || severity is not null)
            {
                var alias = severity is null ? "total_alerts" : $"{severity.ToLowerInvariant()}_alerts";
                return new("COUNT(*)", alias, SeverityFilter(severity) ?? "(alert_type IS NOT NULL OR alert_category IS NOT NULL)", null);
            }

            return null;
        }

        private static Subject Aggregated(string text, string column, string defaultFunction, string sumAlias)
        {
            var function = Matches(text, AverageWords()) ? "AVG"
                : Matches(text, MaximumWords()) ? "MAX"
                : Matches(text, MinimumWords()) ? "MIN"
                : Matches(text, CountWords()) ? "COUNT"
                : Matches(text, TotalWords()) ? "SUM"
                : defaultFunction;
            var (value, alias) = function switch
            {
                "AVG" => ($"ROUND(AVG({column}), 2)", $"avg_{column}"),
                "MAX" => ($"MAX({column})", $"max_{column}"),
                "MIN" => ($"MIN({column})", $"min_{column}"),
                "COUNT" => ($"COUNT({column})", $"{column}_count"),
                _ => ($"SUM({column})", sumAlias),
            };
            return new(value, alias, $"{column} IS NOT NULL", null);
        }

        private static string? SeverityFilter(string? severity) => severity is null ? null : $"alert_type = '{severity}'";

        private static string AndAll(string first, string? second) => second is null ? first : $"{first} AND {second}";

        private static bool Matches(string text, Regex words) => words.IsMatch(text);

        [GeneratedRegex(@"\balerts?\b")]
        private static partial Regex AlertWords();

        [GeneratedRegex(@"\b(critical|warning|info)\b")]
        private static partial Regex SeverityWord();

        [GeneratedRegex(@"\bapprovals?\b")]
        private static partial Regex ApprovalWords();

        [GeneratedRegex(@"\b(by|per|each|for every) (alert )?type\b|\btypes? of alerts?\b|\balert types?\b")]
        private static partial Regex ByTypeWords();

        [GeneratedRegex(@"\b(by|per|each|for every) (alert )?categor(y|ies)\b|\bcategor(y|ies) of alerts?\b|\balert categor(y|ies)\b")]
        private static partial Regex ByCategoryWords();

        [GeneratedRegex(@"\bobsolescence[ _]val(ue)?s?\b")]
        private static partial Regex ObsolescenceValueWords();

        [GeneratedRegex(@"\b(cost|costs|savings|saved|obsolescence)\b")]
        private static partial Regex CostWords();

        [GeneratedRegex(@"\b(cost|costs) avoided\b|\bavoided costs?\b|\bsavings\b")]
        private static partial Regex CostAvoidedWords();

        [GeneratedRegex(@"\bparts?\b.*\bflag|\bflagged\b")]
        private static partial Regex PartsWords();

        [GeneratedRegex(@"\b(average|avg|mean)\b")]
        private static partial Regex AverageWords();

        [GeneratedRegex(@"\b(max|maximum|highest|peak)\b")]
        private static partial Regex MaximumWords();

        [GeneratedRegex(@"\b(min|minimum|lowest)\b")]
        private static partial Regex MinimumWords();

        [GeneratedRegex(@"\b(count|number of|how many)\b")]
        private static partial Regex CountWords();

        [GeneratedRegex(@"\b(total|sum)\b")]
        private static partial Regex TotalWords();

        [GeneratedRegex(@"\b(daily|per day|by day|each day|a day)\b")]
        private static partial Regex DailyWords();

        [GeneratedRegex(@"\b(weekly|per week|by week|each week)\b")]
        private static partial Regex WeeklyWords();

        [GeneratedRegex(@"\b(monthly|per month|by month|each month)\b")]
        private static partial Regex MonthlyWords();
    }

    /// <summary>The rows' time window as a SQL condition over <c>date</c>, and its parameters.</summary>
    private sealed partial record TimeWindow(string Condition, IReadOnlyList<QueryParameter> Parameters)
    {
        private const string Months = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

        public static TimeWindow From(string text)
        {
            if (DateRange().Match(text) is { Success: true } dates)
            {
                return Fixed(Date(dates.Groups["start"].Value), Date(dates.Groups["end"].Value));
            }

            if (MonthRange().Match(text) is { Success: true } months)
            {
                var endYear = Year(months.Groups["endYear"].Value);
                var (startMonth, endMonth) = (Month(months.Groups["start"].Value), Month(months.Groups["end"].Value));

                // "from December to January 2025" crosses the new year; "between April and March" is just unordered.
                var startYear = months.Groups["startYear"].Success ? Year(months.Groups["startYear"].Value)
                    : months.Groups["from"].Success && startMonth > endMonth ? endYear - 1
                    : endYear;
                var (firstMonth, lastMonth) = Ordered(FirstDay(startYear, startMonth), FirstDay(endYear, endMonth));
                return Fixed(firstMonth, LastDay(lastMonth));
            }

            if (SingleMonth().Match(text) is { Success: true } month)
            {
                var first = FirstDay(Year(month.Groups["year"].Value), Month(month.Groups["month"].Value));
                return Fixed(first, LastDay(first));
            }

            if (SingleYear().Match(text) is { Success: true } year)
            {
                var number = Year(year.Groups["year"].Value);
                return Fixed(new DateOnly(number, 1, 1), new DateOnly(number, 12, 31));
            }

            if (LastCount().Match(text) is { Success: true } last)
            {
                var count = int.Parse(last.Groups["count"].Value, CultureInfo.InvariantCulture);
                return Rolling(Math.Clamp(count * DaysIn(last.Groups["unit"].Value), 1, 36_500));
            }

            if (LastUnit().Match(text) is { Success: true } unit)
            {
                return Rolling(DaysIn(unit.Groups["unit"].Value));
            }

            if (ThisPeriod().Match(text) is { Success: true } current)
            {
                var period = current.Groups["unit"].Value;
                return AsOf($"date >= date_trunc('{period}', @as_of::timestamp) AND date < date_trunc('{period}', @as_of::timestamp) + INTERVAL '1 {period}'");
            }

            if (Yesterday().IsMatch(text))
            {
                return AsOf("DATE(date) = @as_of - 1");
            }

            return Today().IsMatch(text) ? AsOf("DATE(date) = @as_of") : Rolling(DefaultDays);
        }

        private static TimeWindow Fixed(DateOnly start, DateOnly end)
        {
            var (from, to) = Ordered(start, end);
            return new("DATE(date) BETWEEN @start_date AND @end_date",
            [
                new(QueryParameterNames.StartDate, QueryParameterType.Date, Format(from)),
                new(QueryParameterNames.EndDate, QueryParameterType.Date, Format(to)),
            ]);
        }

        private static TimeWindow Rolling(int days) => new(
            "date >= @as_of - make_interval(days => @day_range) AND DATE(date) <= @as_of",
            [
                new(QueryParameterNames.DayRange, QueryParameterType.Integer, days.ToString(CultureInfo.InvariantCulture)),
                new(QueryParameterNames.AsOf, QueryParameterType.Date, null),
            ]);

        private static TimeWindow AsOf(string condition) =>
            new(condition, [new(QueryParameterNames.AsOf, QueryParameterType.Date, null)]);

        private static int DaysIn(string unit) => unit switch
        {
            "day" => 1,
            "week" => 7,
            "month" => 30,
            _ => 365,
        };

        private static int Month(string name) => name[..3] switch
        {
            "jan" => 1,
            "feb" => 2,
            "mar" => 3,
            "apr" => 4,
            "may" => 5,
            "jun" => 6,
            "jul" => 7,
            "aug" => 8,
            "sep" => 9,
            "oct" => 10,
            "nov" => 11,
            _ => 12,
        };

        private static (DateOnly, DateOnly) Ordered(DateOnly a, DateOnly b) => a <= b ? (a, b) : (b, a);

        private static DateOnly FirstDay(int year, int month) => new(year, month, 1);

        private static DateOnly LastDay(DateOnly inMonth) => new(inMonth.Year, inMonth.Month, DateTime.DaysInMonth(inMonth.Year, inMonth.Month));

        /// <summary>A date the prompt names; one that does not exist is refused rather than silently ignored.</summary>
        private static DateOnly Date(string text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new QueryRejectedException($"The prompt names {text}, which is not a calendar date.");

        private static int Year(string text)
        {
            var year = int.Parse(text, CultureInfo.InvariantCulture);
            return year is >= 1 and <= 9999 ? year : throw new QueryRejectedException($"The prompt names the year {text}, which is not a calendar year.");
        }

        private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        [GeneratedRegex(@"\b(?:between|from)\s+(?<start>\d{4}-\d{2}-\d{2})\s+(?:and|to|until|through|-)\s+(?<end>\d{4}-\d{2}-\d{2})\b")]
        private static partial Regex DateRange();

        [GeneratedRegex(@"\b(?:(?<from>from)|between)\s+(?<start>" + Months + @")(?:\s+(?<startYear>\d{4}))?\s+(?:and|to|until|through|-)\s+(?<end>" + Months + @")\s+(?<endYear>\d{4})\b")]
        private static partial Regex MonthRange();

        [GeneratedRegex(@"\b(?<month>" + Months + @")\s+(?<year>\d{4})\b")]
        private static partial Regex SingleMonth();

        [GeneratedRegex(@"\b(?:in|during)\s+(?<year>\d{4})\b")]
        private static partial Regex SingleYear();

        [GeneratedRegex(@"\b(?:last|past|previous)\s+(?<count>\d{1,5})\s+(?<unit>day|week|month|year)s?\b")]
        private static partial Regex LastCount();

        [GeneratedRegex(@"\b(?:last|past|previous)\s+(?<unit>day|week|month|year)\b")]
        private static partial Regex LastUnit();

        [GeneratedRegex(@"\bthis\s+(?<unit>week|month|year)\b")]
        private static partial Regex ThisPeriod();

        [GeneratedRegex(@"\btoday\b")]
        private static partial Regex Today();

        [GeneratedRegex(@"\byesterday\b")]
        private static partial Regex Yesterday();
    }
}
