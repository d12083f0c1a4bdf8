using System.Text.Json;
using MetricsEngine.Core.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MetricsEngine.Infrastructure.Persistence.Configurations;

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public void Configure(EntityTypeBuilder<ImportRun> builder)
    {
        builder.ToTable("import_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasIndex(r => r.StartedAt);
        // Counts are reported, never queried: a jsonb document is enough.
        builder.Property(r => r.Counts)
            .HasColumnType("jsonb")
            .HasConversion(
                counts => JsonSerializer.Serialize(counts, JsonOptions),
                json => JsonSerializer.Deserialize<ImportCounts>(json, JsonOptions) ?? new ImportCounts());

        builder.OwnsMany(r => r.Issues, issue =>
        {
            issue.ToTable("import_issues");
            issue.WithOwner().HasForeignKey("ImportRunId");
            issue.Property<int>("Id").UseIdentityAlwaysColumn();
            issue.HasKey("Id");
            issue.Property(i => i.Severity).HasConversion<string>().HasMaxLength(20);
            issue.Property(i => i.File).HasMaxLength(500);
            issue.Property(i => i.Position).HasMaxLength(200);
        });
        builder.Navigation(r => r.Issues).HasField("_issues").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
