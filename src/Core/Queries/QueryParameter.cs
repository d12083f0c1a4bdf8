namespace MetricsEngine.Core.Queries;

public enum QueryParameterType
{
    Date,
    Integer,
}

/// <summary>
/// A date filter a stored query accepts, with the default taken from the literal it replaced.
/// <see cref="DefaultValue"/> is the canonical text (<c>2025-06-01</c>, <c>30</c>);
/// null for <c>as_of</c>, whose default is "today (UTC)" at the time of the call.
/// </summary>
public sealed record QueryParameter(string Name, QueryParameterType Type, string? DefaultValue);

/// <summary>The date filters a metric accepts (docs/product.md#reading-a-metric). Stored SQL refers to them as <c>@name</c>.</summary>
public static class QueryParameterNames
{
    public const string StartDate = "start_date";
    public const string EndDate = "end_date";
    public const string DayRange = "day_range";
    public const string AsOf = "as_of";

    public static readonly IReadOnlyList<string> All = [StartDate, EndDate, DayRange, AsOf];

    public static QueryParameterType TypeOf(string name) =>
        name == DayRange ? QueryParameterType.Integer : QueryParameterType.Date;
}
