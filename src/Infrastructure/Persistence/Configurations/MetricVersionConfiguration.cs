using System.Text.Json;
using MetricsEngine.Core.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MetricsEngine.Infrastructure.Persistence.Configurations;

internal sealed class MetricVersionConfiguration : IEntityTypeConfiguration<MetricVersion>
{
    public const string PrimaryKey = "pk_metric_versions";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public void Configure(EntityTypeBuilder<MetricVersion> builder)
    {
        builder.ToTable("metric_versions");
        builder.HasKey(v => new { v.MetricId, v.Version });
        builder.HasOne<Metric>().WithMany().HasForeignKey(v => v.MetricId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.ChangedBy).HasMaxLength(300);

        // The definition after the change, kept whole so that any version can be restored.
        builder.Property(v => v.Snapshot)
            .HasColumnType("jsonb")
            .HasConversion(
                snapshot => JsonSerializer.Serialize(snapshot, JsonOptions),
                json => JsonSerializer.Deserialize<MetricSnapshot>(json, JsonOptions)!);
    }
}
