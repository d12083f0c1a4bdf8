namespace MetricsEngine.Core.Imports;

public enum IssueSeverity
{
    /// <summary>The item was not loaded.</summary>
    Error,

    /// <summary>The item was loaded, but something in it was ignored or adjusted.</summary>
    Warning,
}

/// <summary>
/// Something in an import file that could not be loaded as written. Position is the item index or
/// CSV line, <see cref="Key"/> the metric or query id when one could be read, <see cref="Raw"/> the
/// item as it appeared in the file.
/// </summary>
public sealed record ImportIssue(
    string File,
    string Position,
    IssueSeverity Severity,
    string? Key,
    string Reason,
    string Raw);
