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

    /// <summary>
    /// Definition version: 1 when created, +1 for every change (layouts, its query's SQL, deletion).
    /// Also the optimistic concurrency token, and what a caller names to change it only if it is unchanged.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>Set when the metric is deleted; deleted metrics keep their history and can be restored.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>
    /// Fingerprint of the definition as the metrics file last gave it; null for metrics created
    /// through the API. See <see cref="Queries.StoredQuery.ImportFingerprint"/>.
    /// </summary>
    public string? ImportFingerprint { get; private set; }
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

    public void MarkImported(string fingerprint) => ImportFingerprint = fingerprint;

    /// <summary>Records that the SQL of the metric's query changed underneath it.</summary>
    public void QueryChanged() => Version++;

    public void Delete(DateTimeOffset now)
    {
        if (DeletedAt is not null)
        {
            return;
        }

        DeletedAt = now;
        Version++;
    }

    /// <summary>Makes the metric what <paramref name="snapshot"/> describes, deleted or live as it was then.</summary>
    public void Restore(MetricSnapshot snapshot, DateTimeOffset now)
    {
        Title = snapshot.Title;
        QueryId = snapshot.QueryId;
        IsEditable = snapshot.IsEditable;
        _layouts.Clear();
        _layouts.AddRange(snapshot.Layouts);
        DeletedAt = snapshot.Deleted ? DeletedAt ?? now : null;
        Version++;
    }
}
