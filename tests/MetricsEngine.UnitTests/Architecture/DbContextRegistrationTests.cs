using MetricsEngine.Infrastructure;
using MetricsEngine.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.UnitTests.Architecture;

/// <summary>
/// One path to the database context: the scoped one the unit of work uses. A second registration
/// (a factory, another scoped or transient context) would let code work outside the command's
/// transaction without anyone noticing.
/// </summary>
public sealed class DbContextRegistrationTests
{
    private static ServiceCollection Infrastructure()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{DependencyInjection.ConnectionStringName}"] = "Host=localhost;Database=never_opened",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInfrastructure(configuration);
        return services;
    }

    [Test]
    public void The_context_is_registered_once_and_per_scope()
    {
        var registrations = Infrastructure().Where(d => d.ServiceType == typeof(MetricsDbContext)).ToList();

        registrations.Count.ShouldBe(1);
        registrations[0].Lifetime.ShouldBe(ServiceLifetime.Scoped);
    }

    [Test]
    public void No_factory_hands_out_contexts_of_their_own()
    {
        Infrastructure().ShouldNotContain(d => d.ServiceType == typeof(IDbContextFactory<MetricsDbContext>));
    }

    [Test]
    public async Task Everything_in_a_scope_shares_one_context()
    {
        await using var provider = Infrastructure().BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();

        var first = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();
        var second = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();

        second.ShouldBeSameAs(first);
    }
}
