using MetricsEngine.Core.Queries;
using MetricsEngine.Core.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MetricsEngine.Infrastructure.Persistence.Configurations;

internal sealed class MetricRecordConfiguration : IEntityTypeConfiguration<MetricRecord>
{
    public void Configure(EntityTypeBuilder<MetricRecord> builder)
    {
        builder.ToTable("metric_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.QueryId).HasMaxLength(200).IsRequired();
        builder.HasOne<StoredQuery>().WithMany().HasForeignKey(r => r.QueryId).OnDelete(DeleteBehavior.Cascade);

        // Stored queries compare "date" with date literals and CURRENT_DATE. A UTC wall-clock
        // timestamp makes DATE(date) the UTC day whatever the session's TimeZone is.
        builder.Property(r => r.Date)
            .HasColumnType("timestamp without time zone")
            .HasConversion(
                utc => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified),
                stored => DateTime.SpecifyKind(stored, DateTimeKind.Utc));

        builder.ComplexProperty(r => r.Measures, measures =>
        {
            measures.Property(m => m.Obsolescence).HasColumnName("obsolescence");
            measures.Property(m => m.ObsolescenceVal).HasColumnName("obsolescence_val");
            measures.Property(m => m.PartsFlagged).HasColumnName("parts_flagged");
            measures.Property(m => m.AlertType).HasColumnName("alert_type");
            measures.Property(m => m.AlertCategory).HasColumnName("alert_category");
        });

        builder.HasIndex(r => r.IdempotencyKey).IsUnique();

        // A metric's query filters on its own query id and a date window.
        builder.HasIndex(r => new { r.QueryId, r.Date });
    }
}
