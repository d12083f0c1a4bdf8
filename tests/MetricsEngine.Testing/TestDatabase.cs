using MetricsEngine.Infrastructure;
using MetricsEngine.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MetricsEngine.Testing;

/// <summary>
/// A database of its own for a test fixture, copied from a template that was migrated once with
/// the application's own migrator. Copying a template takes milliseconds, so isolation is cheap.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string TemplateName = "metricsengine_template";
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static bool _templateReady;

    private TestDatabase(PostgresServer server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = server.ConnectionStringFor(name);
    }

    public PostgresServer Server { get; }
    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = await PostgresServer.SharedAsync();
        await EnsureTemplateAsync(server);
        var name = $"test_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE {TemplateName}");
        return new TestDatabase(server, name);
    }

    public async Task ExecuteAsync(string sql) => await Server.ExecuteAsync(sql, Name);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Server.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task EnsureTemplateAsync(PostgresServer server)
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }

            await server.ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
            await server.ExecuteAsync($"CREATE DATABASE {TemplateName}");
            var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(TemplateName)) { Pooling = false }.ConnectionString;
            await using (var services = new ServiceCollection()
                .AddLogging()
                .AddInfrastructure(new ConfigurationBuilder()
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Metrics"] = connectionString })
                    .Build())
                .BuildServiceProvider())
            {
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            }

            // Several test processes share a server named by METRICSENGINE_TEST_POSTGRES (CI runs the
            // test assemblies at once), and with them the cluster-wide role whose connection limit
            // the migration sizes for one deployment; a throwaway cluster keeps that limit.
            if (Environment.GetEnvironmentVariable(PostgresServer.ExternalServerVariable) is { Length: > 0 })
            {
                await server.ExecuteAsync("ALTER ROLE metrics_query CONNECTION LIMIT -1");
            }

            NpgsqlConnection.ClearAllPools();
            _templateReady = true;
        }
        finally
        {
            TemplateLock.Release();
        }
    }
}
