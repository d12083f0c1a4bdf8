using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests;

[SetUpFixture]
public sealed class AssemblySetup
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresServer.StopSharedAsync();
}
