using Npgsql;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>The engine's own connection pool (schema owner): EF Core, imports, health checks.</summary>
internal sealed class MainDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
