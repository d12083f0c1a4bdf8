using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Sandbox;

/// <summary>
/// Hostile SQL offered for storage is refused by the allowlist check (README: "Running stored SQL safely")
/// with a reason its author can act on, and nothing in the database changes. The allowlist's own
/// table of hostile and legitimate queries is <see cref="AllowlistTests"/>.
/// </summary>
public sealed class AllowlistCheckTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    [TestCase("INSERT INTO metrics (id) VALUES ('q_alerts')", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'INSERT'.")]
    [TestCase("UPDATE metrics SET obsolescence = 0", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'UPDATE'.")]
    [TestCase("DELETE FROM metric_records", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'DELETE'.")]
    [TestCase("TRUNCATE metric_records", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'TRUNCATE'.")]
    [TestCase("WITH gone AS (DELETE FROM metric_records RETURNING *) SELECT count(*) FROM gone", "Writes are not allowed: a metric's query may only read, but this one contains DELETE.")]
    [TestCase("WITH x AS (UPDATE queries SET sql = '' RETURNING id) SELECT * FROM x", "Writes are not allowed: a metric's query may only read, but this one contains UPDATE.")]
    [TestCase("SELECT * INTO stolen FROM metrics", "Writes are not allowed: a metric's query may only read, but this one contains INTO.")]
    [TestCase("SELECT * FROM metrics FOR UPDATE", "Writes are not allowed: a metric's query may only read, but this one contains UPDATE.")]
    [TestCase("SELECT 1; DROP TABLE queries", "Only one statement is allowed: remove everything after the first ';'.")]
    [TestCase("SELECT * FROM public.metric_records", "Only the metrics view can be read: public.metric_records")]
    [TestCase("SELECT * FROM queries", "Unknown relation: relation \"queries\" does not exist. Queries read only the view 'metrics'")]
    [TestCase("SELECT rolname, rolpassword FROM pg_authid", "Only the metrics view can be read: pg_catalog.pg_authid")]
    [TestCase("SELECT usename, passwd FROM pg_shadow", "Only the metrics view can be read: pg_catalog.pg_shadow")]
    [TestCase("SELECT pg_read_file('/etc/passwd')", "Function not allowed: pg_read_file(text)")]
    [TestCase("SELECT lo_import('/etc/passwd')", "Function not allowed: lo_import(text)")]
    [TestCase("COPY (SELECT * FROM metrics) TO '/tmp/stolen.csv'", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'COPY'.")]
    [TestCase("SET ROLE postgres", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'SET'.")]
    [TestCase("SELECT set_config('role', 'postgres', false)", "Function not allowed: set_config(text,text,boolean)")]
    [TestCase("SELECT set_config('transaction_read_only', 'off', true)", "Function not allowed: set_config(text,text,boolean)")]
    [TestCase("SELECT pg_terminate_backend(pid) FROM pg_stat_activity", "Only the metrics view can be read: pg_catalog.pg_stat_activity")]
    [TestCase("SELECT nextval('metric_records_id_seq')", "Unknown relation: relation \"metric_records_id_seq\" does not exist. Queries read only the view 'metrics'")]
    [TestCase("SELECT pg_advisory_lock(1)", "Function not allowed: pg_advisory_lock(bigint)")]
    [TestCase("SELEC alert_type FROM metrics", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'SELEC'.")]
    [TestCase("SELECT alert_type FROM metrics WHERE", "Syntax error: syntax error at end of input")]
    [TestCase("SELECT alert_type, FROM metrics", "Syntax error: syntax error at or near \"FROM\"")]
    [TestCase("SELECT colour FROM metrics", "Unknown column: column \"colour\" does not exist. The metrics view has id, date, obsolescence, obsolescence_val, parts_flagged, alert_type and alert_category")]
    [TestCase("SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(x int)", "Unknown function or operator: function dblink(unknown, unknown) does not exist")]
    public async Task Hostile_sql_is_refused_at_import_with_a_reason_and_changes_nothing(string sql, string reason)
    {
        var before = await SnapshotAsync();
        using var files = new ImportFileSet().Queries(("q_hostile", sql));

        var run = await Api.ImportAsync(files.Files);

        var issue = run.Issues.ShouldHaveSingleItem();
        issue.Reason.ShouldBe($"Query 'q_hostile' was rejected: {reason}");
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Test]
    public async Task A_query_that_only_reads_the_view_is_accepted()
    {
        using var files = new ImportFileSet().Queries(("q_fine", """
            WITH daily AS (SELECT DATE(date) AS day, count(*) AS n FROM metrics WHERE date BETWEEN '2025-06-01' AND '2025-06-30' GROUP BY 1)
            SELECT day, n, sum(n) OVER (ORDER BY day) AS running FROM daily ORDER BY day
            """));

        var run = await Api.ImportAsync(files.Files);

        run.Issues.ShouldBeEmpty();
        run.Counts.Queries!.Added.ShouldBe(1);
    }

    private async Task<string> SnapshotAsync()
    {
        var database = Api.Database!;
        return $"records={await database.ScalarAsync<long>("SELECT count(*) FROM metric_records")} " +
               $"queries={await database.ScalarAsync<string>("SELECT string_agg(id || ':' || md5(sql), ',' ORDER BY id) FROM queries")} " +
               $"metrics={await database.ScalarAsync<long>("SELECT count(*) FROM metric_definitions")} " +
               $"tables={await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")}";
    }
}
