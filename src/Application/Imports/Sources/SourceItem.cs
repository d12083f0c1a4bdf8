namespace MetricsEngine.Application.Imports;

/// <summary>
/// One item of a file. When <see cref="Value"/> is null the item could not be read and
/// <see cref="Problems"/> says why; otherwise <see cref="Problems"/> lists what was ignored in it.
/// </summary>
public sealed record SourceItem<T>(string Position, string Raw, string? Key, T? Value, IReadOnlyList<string> Problems)
    where T : class;

public static class SourceItem
{
    public static SourceItem<T> Loaded<T>(string position, string raw, string? key, T value, IReadOnlyList<string>? warnings = null)
        where T : class => new(position, raw, key, value, warnings ?? []);

    public static SourceItem<T> Rejected<T>(string position, string raw, string? key, params string[] problems)
        where T : class => new(position, raw, key, null, problems);
}
