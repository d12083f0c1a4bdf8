using MetricsEngine.Testing;
using Npgsql;

namespace MetricsEngine.IntegrationTests.Sandbox;

/// <summary>Stores a metric whose SQL never went through the allowlist check, as SQL stored before the allowlist existed.</summary>
internal static class SandboxPlanting
{
    public static async Task<Guid> PlantAsync(TestDatabase database, string sql)
    {
        var id = Guid.NewGuid();
        var queryId = $"q_planted_{id:N}";
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO queries (id, sql, parameterised_sql, parameters, created_at, updated_at) VALUES (@q, @sql, @sql, '[]', now(), now());
            INSERT INTO metric_definitions (id, title, query_id, is_editable, version, created_at, updated_at) VALUES (@id, @q, @q, true, 1, now(), now());
            """, connection);
        command.Parameters.AddWithValue("q", queryId);
        command.Parameters.AddWithValue("sql", sql);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
        return id;
    }
}
