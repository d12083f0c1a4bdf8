using MetricsEngine.Core.Imports;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Core.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

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
    public DbSet<MetricVersion> MetricVersions => Set<MetricVersion>();

    /// <summary>Provider conventions shared by the host, design-time tooling and script generation.</summary>
    public static DbContextOptionsBuilder Conventions(DbContextOptionsBuilder options) => options
        .UseSnakeCaseNamingConvention()
        // A failed command, query, save or transaction always surfaces as an exception that is
        // translated and logged where it is handled (a 503 as one Warning, a real fault as one
        // Error); EF's own Error lines would only repeat it, with a stack trace each, thousands of
        // them while the database is down (and CommandError fires on every "is there a migration
        // history yet" probe of a fresh database).
        .ConfigureWarnings(warnings => warnings.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug)));

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MetricsDbContext).Assembly);
}
