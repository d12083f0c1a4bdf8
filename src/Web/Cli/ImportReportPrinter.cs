using MetricsEngine.Core.Imports;

namespace MetricsEngine.Web.Cli;

/// <summary>The import report as people read it: counts per kind, then every issue with its id and reason.</summary>
internal static class ImportReportPrinter
{
    public static void Print(ImportRun run, TextWriter output)
    {
        output.WriteLine(run.DryRun
            ? $"Import {run.Id} (dry run: nothing was kept)"
            : $"Import {run.Id}");
        output.WriteLine();
        output.WriteLine($"{"",-10}{"read",10}{"added",10}{"updated",10}{"unchanged",11}{"rejected",10}");
        Row(output, "queries", run.Counts.Queries);
        Row(output, "metrics", run.Counts.Metrics);
        Row(output, "layouts", run.Counts.Layouts);
        Row(output, "records", run.Counts.Records);
        output.WriteLine();

        if (run.Issues.Count == 0)
        {
            output.WriteLine("No issues.");
            return;
        }

        output.WriteLine($"{run.Issues.Count} issue(s):");
        foreach (var issue in run.Issues)
        {
            var key = issue.Key is null ? string.Empty : $" [{issue.Key}]";
            output.WriteLine($"  {issue.Severity.ToString().ToUpperInvariant(),-8}{issue.File} {issue.Position}{key}: {issue.Reason}");
        }
    }

    private static void Row(TextWriter output, string kind, ItemCounts? counts)
    {
        if (counts is null)
        {
            output.WriteLine($"{kind,-10}{"(no file)",10}");
            return;
        }

        output.WriteLine($"{kind,-10}{counts.Read,10}{counts.Added,10}{counts.Updated,10}{counts.Unchanged,11}{counts.Rejected,10}");
    }
}
