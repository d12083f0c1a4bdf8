using System.Diagnostics;
using MetricsEngine.Core.Imports;
using MetricsEngine.Crosscutting.Logging;

namespace MetricsEngine.Application.Imports.RunImport;

/// <summary>A span per imported file, and the import's counts on <c>metricsengine.import.items</c>.</summary>
internal static class ImportTelemetry
{
    public static Activity? StartFile(string file, bool dryRun) =>
        EngineTracing.Source.StartActivity($"Import {file}")?.SetTag("metricsengine.import.file", file).SetTag("metricsengine.import.dry_run", dryRun);

    public static void Count(ImportCounts counts, bool dryRun)
    {
        if (dryRun)
        {
            return;
        }

        Count("queries", counts.Queries);
        Count("metrics", counts.Metrics);
        Count("layouts", counts.Layouts);
        Count("records", counts.Records);
    }

    private static void Count(string kind, ItemCounts? items)
    {
        if (items is null)
        {
            return;
        }

        Add(kind, "added", items.Added);
        Add(kind, "updated", items.Updated);
        Add(kind, "unchanged", items.Unchanged);
        Add(kind, "rejected", items.Rejected);
    }

    private static void Add(string kind, string outcome, int count)
    {
        if (count > 0)
        {
            EngineMetrics.ImportItems.Add(count, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
