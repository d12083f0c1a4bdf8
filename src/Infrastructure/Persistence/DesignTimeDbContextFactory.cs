using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MetricsDbContext>
{
    public MetricsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<MetricsDbContext>)MetricsDbContext.Conventions(new DbContextOptionsBuilder<MetricsDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Metrics") ?? "Host=localhost;Database=metrics_design"))
            .Options);
}
