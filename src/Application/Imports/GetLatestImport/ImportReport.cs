using MetricsEngine.Core.Imports;

namespace MetricsEngine.Application.Imports.GetLatestImport;

public sealed record ImportReport(
    Guid Id,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    ImportCounts Counts,
    int IssueCount,
    IReadOnlyList<ImportIssue> Issues)
{
    public static ImportReport From(ImportRun run) =>
        new(run.Id, run.StartedAt, run.FinishedAt, run.Counts, run.Issues.Count, run.Issues);
}
