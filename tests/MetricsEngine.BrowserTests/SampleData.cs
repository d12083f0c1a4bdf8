namespace MetricsEngine.BrowserTests;

/// <summary>The metrics of data/ that the scenarios name (README, "Import files").</summary>
public static class SampleData
{
    /// <summary>Live metrics after the import: 8 items, one a duplicate id and one naming a query the CSV lacks.</summary>
    public const int LiveMetrics = 6;

    /// <summary>lg (0, 0); CURRENT_DATE - 30 days: day_range and as_of.</summary>
    public const string CostAvoided = "5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41";

    /// <summary>lg (5, 0), static, not editable; BETWEEN: start_date and end_date; bars.</summary>
    public const string AlertsByType = "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11";

    /// <summary>lg (0, 4); a time series of June 2025.</summary>
    public const string AverageValue = "0e6f7a8b-1c2d-4e3f-8a9b-7c6d5e4f3a21";

    /// <summary>lg (5, 4); CURRENT_DATE - 90 days.</summary>
    public const string PartsFlagged = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c51";

    /// <summary>lg (0, 20), which the grid compacts up to row 8; editable, not static.</summary>
    public const string NeedApproval = "3f2e1d0c-9b8a-4765-8c3d-2e1f0a9b8c61";

    /// <summary>At the bottom (y 9999999), 10 wide, not editable; one number: a big figure.</summary>
    public const string CriticalAlerts = "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b71";
}
