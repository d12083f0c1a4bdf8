using MetricsEngine.Testing;
using Npgsql;

namespace MetricsEngine.IntegrationTests.Sandbox;

/// <summary>
/// A metric's query stays an index lookup as the records grow: both window shapes stored queries
/// use (on the timestamp, and on the day) are served by an index on the query id and the date,
/// planned through the metrics view as the sandbox role runs it.
/// </summary>
public sealed class RecordIndexTests
{
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task FillRecords()
    {
        _database = await TestDatabase.CreateAsync();
        await _database.ExecuteAsync("""
            INSERT INTO queries (id, sql, parameterised_sql, parameters, created_at, updated_at)
            SELECT 'q' || g, 'SELECT 1', 'SELECT 1', '[]', now(), now() FROM generate_series(1, 200) g;
            INSERT INTO metric_records (query_id, date, parts_flagged, idempotency_key, created_at)
            SELECT 'q' || (g % 200 + 1), timestamp '2020-01-01' + g * interval '1 hour', 1, gen_random_uuid(), now()
            FROM generate_series(1, 200000) g;
            ANALYZE metric_records;
            """);
    }

    [OneTimeTearDown]
    public async Task DropDatabase() => await _database.DisposeAsync();

    [TestCase("SELECT DATE(date) AS day, SUM(parts_flagged) AS parts FROM metrics WHERE id = 'q7' AND DATE(date) BETWEEN @start_date AND @end_date GROUP BY 1",
        "ix_metric_records_query_id_day")]
    [TestCase("SELECT count(*) AS n FROM metrics WHERE id = 'q7' AND date >= @as_of - make_interval(days => 30)",
        "ix_metric_records_query_id_date")]
    [TestCase("SELECT alert_type, count(*) FROM metrics WHERE id = 'q7' AND date BETWEEN @start_date AND @end_date GROUP BY 1",
        "ix_metric_records_query_id_date")]
    public async Task A_metric_window_is_an_index_range_scan_not_a_table_scan(string sql, string index)
    {
        var plan = await ExplainAsSandboxAsync(sql);

        plan.ShouldContain(index);
        plan.ShouldNotContain("Seq Scan");
    }

    private async Task<string> ExplainAsSandboxAsync(string sql)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Username = "metrics_query" }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SET search_path = query_surface; EXPLAIN {sql}", connection);
        command.Parameters.AddWithValue("start_date", new DateOnly(2021, 6, 1));
        command.Parameters.AddWithValue("end_date", new DateOnly(2021, 6, 30));
        command.Parameters.AddWithValue("as_of", new DateOnly(2021, 6, 30));
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        do
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }
        while (await reader.NextResultAsync());

        return string.Join('\n', lines);
    }
}
