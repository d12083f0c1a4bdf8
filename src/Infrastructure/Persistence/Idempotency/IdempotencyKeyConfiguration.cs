using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MetricsEngine.Infrastructure.Persistence.Idempotency;

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKeyRow>
{
    public const string Table = "idempotency_keys";

    /// <summary>Longest key accepted (the header is checked against it at the edge).</summary>
    public const int MaxKeyLength = 255;

    public void Configure(EntityTypeBuilder<IdempotencyKeyRow> builder)
    {
        builder.ToTable(Table);
        // A key is the caller's own: two callers choosing the same key never meet.
        builder.HasKey(k => new { k.Caller, k.Key });
        builder.Property(k => k.Caller).HasMaxLength(300);
        builder.Property(k => k.Key).HasMaxLength(MaxKeyLength);
        builder.Property(k => k.Fingerprint).HasMaxLength(64);
        builder.Property(k => k.Response).HasColumnType("text");
        // The sweep deletes by age.
        builder.HasIndex(k => k.CreatedAt);
    }
}
