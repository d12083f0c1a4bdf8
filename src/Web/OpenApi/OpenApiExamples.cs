namespace MetricsEngine.Web.OpenApi;

/// <summary>Examples shown in the OpenAPI document, taken from real responses of the sample data.</summary>
internal static class OpenApiExamples
{
    public const string Metric = """
        {
          "id": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11",
          "title": "Alerts by type",
          "is_editable": false,
          "parameters": {
            "start_date": { "applicable": true, "value": "2025-06-01", "default": "2025-06-01" },
            "end_date": { "applicable": true, "value": "2025-06-04", "default": "2025-06-30" },
            "day_range": { "applicable": false, "value": null, "default": null },
            "as_of": { "applicable": false, "value": null, "default": null }
          },
          "records": [ { "alert_type": "Critical", "total_alerts": 1 }, { "alert_type": "Warning", "total_alerts": 1 } ],
          "truncated": false,
          "layouts": [ { "breakpoint": "lg", "x": 5, "y": 0, "w": 5, "h": 4, "static": true } ]
        }
        """;

    public const string Created = """
        { "id": "0193a0b4-7c1e-7d2a-9f3b-5e6d7c8b9a01" }
        """;

    public const string StartAfterEnd = """
        {
          "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
          "title": "Invalid request",
          "status": 400,
          "detail": "start_date 2025-06-10 is after end_date 2025-06-04.",
          "errors": { "start_date": [ "start_date 2025-06-10 is after end_date 2025-06-04." ] },
          "instance": "/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11",
          "traceId": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        }
        """;

    public const string MetricPage = """
        {
          "items": [ { "id": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11", "title": "Alerts by type", "is_editable": false, "updated_at": "2026-11-25T03:35:40.4+00:00" } ],
          "page": 1,
          "page_size": 50,
          "total": 1
        }
        """;

    public const string CreateMetric = """
        {
          "is_editable": true,
          "layouts": [
            { "breakpoint": "lg", "x": 0, "y": 20, "w": 5, "h": 4, "static": false },
            { "breakpoint": "md", "x": 0, "y": 10, "w": 1, "h": 4, "static": null }
          ],
          "query_generation_prompt": "Metrics needing approval from March 2025 to April 2025"
        }
        """;

    public const string UpdateMetric = """
        {
          "title": "Approvals, spring 2025",
          "is_editable": true,
          "layouts": [ { "breakpoint": "lg", "x": 5, "y": 20, "w": 5, "h": 4, "static": false } ]
        }
        """;

    public const string Definition = """
        {
          "id": "0193a0b4-7c1e-7d2a-9f3b-5e6d7c8b9a01",
          "title": "Metrics needing approval from March 2025 to April 2025",
          "is_editable": true,
          "query_id": "q_0193a0b47c1e7d2a9f3b5e6d7c8b9a01",
          "sql": "-- Metrics needing approval from March 2025 to April 2025\nSELECT COUNT(*) AS alerts_needing_approval\nFROM metrics\nWHERE id = 'q_0193a0b47c1e7d2a9f3b5e6d7c8b9a01'\n  AND alert_category = 'Need Approval'\n  AND DATE(date) BETWEEN @start_date AND @end_date",
          "parameterised_sql": "-- Metrics needing approval from March 2025 to April 2025\nSELECT COUNT(*) AS alerts_needing_approval\nFROM metrics\nWHERE id = 'q_0193a0b47c1e7d2a9f3b5e6d7c8b9a01'\n  AND alert_category = 'Need Approval'\n  AND DATE(date) BETWEEN @start_date AND @end_date",
          "parameters": [
            { "name": "start_date", "type": "date", "default_value": "2025-03-01" },
            { "name": "end_date", "type": "date", "default_value": "2025-04-30" }
          ],
          "layouts": [ { "breakpoint": "lg", "x": 0, "y": 20, "w": 5, "h": 4, "static": false } ],
          "version": 1,
          "created_at": "2026-11-25T04:40:00+00:00",
          "updated_at": "2026-11-25T04:40:00+00:00"
        }
        """;

    public const string Versions = """
        [
          { "version": 1, "changed_at": "2026-11-25T04:40:00+00:00", "changed_by": "alice", "change": "created from a prompt" },
          { "version": 2, "changed_at": "2026-11-25T04:41:00+00:00", "changed_by": "alice", "change": "title changed from \"A\" to \"B\"; layouts changed" }
        ]
        """;

    public const string Record = """
        { "date": "2025-06-03T08:15:00Z", "obsolescence": 120.5, "obsolescence_val": 12.05, "parts_flagged": 3, "alert_type": "Critical", "alert_category": "Need Approval" }
        """;

    public const string StoredRecord = """
        {
          "id": "01a233d8-4d70-7859-8ae5-da5d51e2bfb7",
          "metric_id": "01a233d8-0791-7280-b6f7-408517a3143e",
          "date": "2025-06-03T07:30:00Z",
          "obsolescence": null,
          "obsolescence_val": null,
          "parts_flagged": 3,
          "alert_type": "Critical",
          "alert_category": null,
          "created_at": "2026-12-01T23:02:23.343965+00:00"
        }
        """;
}
