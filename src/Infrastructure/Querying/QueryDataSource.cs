using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// The connection pool stored SQL runs on, kept apart from the engine's own pool so a flood of
/// slow metric queries cannot starve migrations, imports or health checks.
/// </summary>
internal sealed class QueryDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
