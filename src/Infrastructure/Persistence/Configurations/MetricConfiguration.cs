using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MetricsEngine.Infrastructure.Persistence.Configurations;

internal sealed class MetricConfiguration : IEntityTypeConfiguration<Metric>
{
    /// <summary>Unique index on lower(title) among live metrics, created by migration.</summary>
    public const string LiveTitleIndex = "ux_metric_definitions_live_title";

    public void Configure(EntityTypeBuilder<Metric> builder)
    {
        builder.ToTable("metric_definitions");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Title).HasMaxLength(300).IsRequired();
        builder.Property(m => m.QueryId).HasMaxLength(200).IsRequired();
        builder.HasOne<StoredQuery>().WithMany().HasForeignKey(m => m.QueryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.QueryId);

        // Every change bumps Version, so it doubles as the optimistic concurrency token.
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.Ignore(m => m.IsDeleted);

        builder.OwnsMany(m => m.Layouts, layout =>
        {
            layout.ToTable("layout_items");
            layout.WithOwner().HasForeignKey("MetricId");
            layout.HasKey("MetricId", nameof(LayoutItem.Breakpoint));
            layout.Property(l => l.Breakpoint).HasMaxLength(50);
        });
        builder.Navigation(m => m.Layouts).HasField("_layouts").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
