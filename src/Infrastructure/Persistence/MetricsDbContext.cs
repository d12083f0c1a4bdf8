using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Core.Records;
using Microsoft.EntityFrameworkCore;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>The engine's own tables. Stored SQL never reads these: it sees only the query surface.</summary>
public sealed class MetricsDbContext(DbContextOptions<MetricsDbContext> options) : DbContext(options)
{
    /// <summary>Schema holding only what stored queries may read (the <c>metrics</c> view).</summary>
    public const string QuerySurfaceSchema = "query_surface";

    public DbSet<Metric> Metrics => Set<Metric>();
    public DbSet<StoredQuery> Queries => Set<StoredQuery>();
    public DbSet<MetricRecord> Records => Set<MetricRecord>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MetricsDbContext).Assembly);
}
