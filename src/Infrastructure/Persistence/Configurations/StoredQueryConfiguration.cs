using MetricsEngine.Core.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MetricsEngine.Infrastructure.Persistence.Configurations;

internal sealed class StoredQueryConfiguration : IEntityTypeConfiguration<StoredQuery>
{
    public void Configure(EntityTypeBuilder<StoredQuery> builder)
    {
        builder.ToTable("queries");
        builder.HasKey(q => q.Id);
        builder.Property(q => q.Id).HasMaxLength(200);
        builder.Property(q => q.Sql).IsRequired();
        builder.Property(q => q.ParameterisedSql).IsRequired();
        builder.ComplexCollection(q => q.Parameters, parameters =>
        {
            parameters.ToJson();
            parameters.Property(p => p.Type).HasConversion<string>();
        });
    }
}
