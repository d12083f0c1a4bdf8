using MetricsEngine.Core.Common;

namespace MetricsEngine.Core.Metrics;

/// <summary>A dashboard tile: one stored query plus where the tile sits at each breakpoint.</summary>
public sealed class Metric : IAuditable
{
    private readonly List<LayoutItem> _layouts = [];

    private Metric()
    {
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = null!;
    public string QueryId { get; private set; } = null!;
    public bool IsEditable { get; private set; }

    /// <summary>Definition version: 1 when created, +1 for every change (layouts included).</summary>
    public int Version { get; private set; }
    public IReadOnlyList<LayoutItem> Layouts => _layouts;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static Metric Create(Guid id, string title, string queryId, bool isEditable, IEnumerable<LayoutItem> layouts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(queryId);
        var metric = new Metric { Id = id, Title = title, QueryId = queryId, IsEditable = isEditable, Version = 1 };
        metric._layouts.AddRange(layouts);
        return metric;
    }

    /// <summary>Applies a definition; returns false when it is already the current one.</summary>
    public bool Redefine(string title, string queryId, bool isEditable, IReadOnlyCollection<LayoutItem> layouts)
    {
        if (Title == title && QueryId == queryId && IsEditable == isEditable && _layouts.SequenceEqual(layouts))
        {
            return false;
        }

        Title = title;
        QueryId = queryId;
        IsEditable = isEditable;
        _layouts.Clear();
        _layouts.AddRange(layouts);
        Version++;
        return true;
    }
}
