namespace MetricsEngine.Core.Records;

/// <summary>The measures a record can carry (docs/product.md#records-and-measures). At least one must be present.</summary>
public sealed record Measures(
    decimal? Obsolescence = null,
    decimal? ObsolescenceVal = null,
    int? PartsFlagged = null,
    string? AlertType = null,
    string? AlertCategory = null)
{
    public static readonly IReadOnlyList<string> Names =
        ["obsolescence", "obsolescence_val", "parts_flagged", "alert_type", "alert_category"];

    public bool HasAny =>
        Obsolescence is not null || ObsolescenceVal is not null || PartsFlagged is not null
        || AlertType is not null || AlertCategory is not null;
}
