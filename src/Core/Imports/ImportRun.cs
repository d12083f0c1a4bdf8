namespace MetricsEngine.Core.Imports;

/// <summary>What one import did: counts per kind and every issue it met.</summary>
public sealed class ImportRun
{
    private readonly List<ImportIssue> _issues = [];

    private ImportRun()
    {
    }

    public Guid Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset FinishedAt { get; private set; }
    public bool DryRun { get; private set; }
    public ImportCounts Counts { get; private set; } = new();
    public IReadOnlyList<ImportIssue> Issues => _issues;

    public static ImportRun Start(Guid id, DateTimeOffset startedAt, bool dryRun) =>
        new() { Id = id, StartedAt = startedAt, DryRun = dryRun };

    public void Report(ImportIssue issue) => _issues.Add(issue);

    public void Finish(ImportCounts counts, DateTimeOffset finishedAt)
    {
        Counts = counts;
        FinishedAt = finishedAt;
    }
}

/// <summary>Per kind: how many items were read, newly added, changed, left as they were, or rejected.</summary>
public sealed record ImportCounts(
    ItemCounts? Queries = null,
    ItemCounts? Metrics = null,
    ItemCounts? Layouts = null,
    ItemCounts? Records = null);

public sealed record ItemCounts(int Read, int Added, int Updated, int Unchanged, int Rejected)
{
    public static readonly ItemCounts Zero = new(0, 0, 0, 0, 0);
}
