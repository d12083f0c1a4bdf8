using MetricsEngine.Testing;

namespace MetricsEngine.AcceptanceTests;

[SetUpFixture]
public sealed class AssemblySetup
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresServer.StopSharedAsync();
}
