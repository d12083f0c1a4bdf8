namespace MetricsEngine.Application;

public static class TimeProviderExtensions
{
    /// <summary>Today's date in UTC: the default for a query's <c>as_of</c>.</summary>
    public static DateOnly GetUtcToday(this TimeProvider clock) =>
        DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
