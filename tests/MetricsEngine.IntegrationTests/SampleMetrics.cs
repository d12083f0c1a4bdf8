using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests;

/// <summary>
/// A small, clean data set with one query per date-literal shape: a literal BETWEEN window, a
/// CURRENT_DATE - INTERVAL window, and a query with no filter that returns raw columns.
/// </summary>
public static class SampleMetrics
{
    public const string AlertsByType = "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11";
    public const string CostAvoided = "5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41";
    public const string RawRecords = "0e6f7a8b-1c2d-4e3f-8a9b-7c6d5e4f3a21";

    public static ImportFileSet Files() => new ImportFileSet()
        .Queries(
            ("q_alerts", """
                -- Alerts by type
                SELECT alert_type, COUNT(*) AS total_alerts
                FROM metrics
                WHERE id = 'q_alerts' AND DATE(date) BETWEEN '2025-06-01' AND '2025-06-30'
                GROUP BY alert_type
                ORDER BY alert_type;
                """),
            ("q_cost", """
                -- Cost avoided, last 30 days
                SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided
                FROM metrics
                WHERE id = 'q_cost' AND date >= CURRENT_DATE - INTERVAL '30' DAY
                GROUP BY DATE(date)
                ORDER BY day;
                """),
            ("q_raw", """
                -- Raw records
                SELECT date, obsolescence, parts_flagged, alert_type, DATE(date) AS day
                FROM metrics
                WHERE id = 'q_raw'
                ORDER BY date;
                """))
        .Metrics(new
        {
            items = new object[]
            {
                new { id = AlertsByType, queryId = "q_alerts", isEditable = false },
                new { id = CostAvoided, query_id = "q_cost", isEditable = true },
                new { id = RawRecords, queryId = "q_raw", isEditable = true },
            },
            layouts = new
            {
                lg = new object[]
                {
                    new { i = AlertsByType, x = 5, y = 0, w = 5, h = 4, @static = true },
                    new { i = CostAvoided, x = 0, y = 0, w = 5, h = 4, @static = false },
                    new { i = RawRecords, x = 0, y = 9_999_999, w = 10, h = 3 },
                },
                md = new object[]
                {
                    new { i = AlertsByType, x = 0, y = 4, w = 1, h = 4, @static = (bool?)null },
                },
            },
        })
        .Records(
            new { id = "q_alerts", date = "2025-06-02T08:15:00", alert_type = "Critical" },
            new { id = "q_alerts", date = "2025-06-03T10:00:00", alert_type = "Warning" },
            new { id = "q_alerts", date = "2025-06-10T00:00:00", alert_type = "Critical" },
            new { id = "q_alerts", date = "2025-06-15T00:00:00", alert_type = "Info" },
            new { id = "q_alerts", date = "2025-06-20T00:00:00", alert_type = "Warning" },
            new { id = "q_alerts", date = "2025-07-02T00:00:00", alert_type = "Critical" },
            new { id = "q_alerts", date = "2025-05-28T00:00:00", alert_type = "Warning" },
            new { id = "q_cost", date = "2025-06-01T00:00:00", obsolescence = 120.5m },
            new { id = "q_cost", date = "2025-06-10T00:00:00", obsolescence = 80m },
            new { id = "q_cost", date = "2025-06-22T00:00:00", obsolescence = 99.99m },
            new { id = "q_cost", date = "2025-06-28T00:00:00", obsolescence = 42m },
            new { id = "q_raw", date = "2025-06-03T10:30:00", obsolescence = 12.5m, parts_flagged = 3, alert_type = "Critical" },
            new { id = "q_raw", date = "2025-06-04T00:00:00", parts_flagged = 1 });
}
