namespace MetricsEngine.Crosscutting.Logging;

/// <summary>
/// Names of the structured values the application puts into log scopes. One list, so that
/// dashboards and alerts can rely on the same property names everywhere.
/// </summary>
public static class LogScopes
{
    public const string Operation = "Operation";
    public const string Request = "Request";
    public const string User = "User";

    /// <summary>Builds a scope state that structured loggers expose as individual properties.</summary>
    public static Dictionary<string, object?> Of(params (string Key, object? Value)[] values)
    {
        var scope = new Dictionary<string, object?>(values.Length, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            scope[key] = value;
        }

        return scope;
    }
}
