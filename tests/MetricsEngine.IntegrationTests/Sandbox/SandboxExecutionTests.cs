using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;
using Npgsql;

namespace MetricsEngine.IntegrationTests.Sandbox;

/// <summary>
/// What stops SQL at run time (README: "Running stored SQL safely"): the allowlist checked again
/// before a statement first runs, the sandbox role, the read-only transaction and the statement
/// timeout (the row cap and errors only running shows are Sandbox.feature's). Some queries here are planted straight into the database, as if they
/// had been stored before the allowlist existed; they must still be stopped. Stored SQL runs one
/// at a time on a pool of two connections (one kept for readiness), so a connection left in a bad
/// state would show in the next call.
/// </summary>
public sealed class SandboxExecutionTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    protected override IDictionary<string, string?> Settings(TestDatabase database) => new Dictionary<string, string?>
    {
        ["Query:TimeoutSeconds"] = "1",
        ["Query:MaxRows"] = "10",
        ["Query:MaxConcurrent"] = "1",
        ["ConnectionStrings:MetricsQuery"] = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Username = "metrics_query",
        }.ConnectionString,
    };

    /// <summary>The first request pays for the pipeline's warm-up (token keys, compilation), not the sandbox.</summary>
    [OneTimeSetUp]
    public async Task WarmUp() => await NormalCallStillWorksAsync();

    [Test]
    public async Task A_query_running_past_the_timeout_is_a_504_within_the_timeout_plus_one_second()
    {
        var id = await PlantAsync(SlowQuery);
        var clock = Stopwatch.StartNew();

        var response = await Client.GetAsync($"/metrics/{id}");

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        (await response.Content.ReadFromJsonAsync<JsonNode>())!["detail"]!.GetValue<string>()
            .ShouldBe("The metric's query did not finish within 1 seconds.");
        await NormalCallStillWorksAsync();
    }

    [Test]
    public async Task A_query_that_would_turn_off_its_own_timeout_is_refused_before_it_runs()
    {
        var id = await PlantAsync("SELECT set_config('statement_timeout', '0', true) AS t, count(*) AS n FROM (" + SlowQuery + ") AS slow");

        var response = await Client.GetAsync($"/metrics/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonNode>())!["detail"]!.GetValue<string>()
            .ShouldBe("Function not allowed: set_config(text,text,boolean)");
        await NormalCallStillWorksAsync();
    }

    /// <summary>Legal SQL over nothing but operators and count() that runs for many seconds.</summary>
    private const string SlowQuery = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 100000000) SELECT count(*) AS n FROM t";

    private const string SetConfig = "Function not allowed: set_config(text,text,boolean)";

    [TestCase("WITH gone AS (DELETE FROM metric_records RETURNING *) SELECT count(*) AS n FROM gone", "Unknown relation: relation \"metric_records\" does not exist. Queries read only the view 'metrics'")]
    [TestCase("WITH gone AS (DELETE FROM public.metric_records RETURNING *) SELECT count(*) AS n FROM gone", "Not supported in a metric's query: WITH clause containing a data-modifying statement must be at the top level")]
    [TestCase("SELECT * FROM public.metric_records", "Only the metrics view can be read: public.metric_records")]
    [TestCase("SELECT * FROM public.queries", "Only the metrics view can be read: public.queries")]
    [TestCase("SELECT rolname, rolpassword FROM pg_authid", "Only the metrics view can be read: pg_catalog.pg_authid")]
    [TestCase("SELECT pg_read_file('/etc/passwd') AS f", "Function not allowed: pg_read_file(text)")]
    [TestCase("SELECT lo_import('/etc/passwd') AS f", "Function not allowed: lo_import(text)")]
    [TestCase("SELECT set_config('transaction_read_only', 'off', true) AS t", SetConfig)]
    [TestCase("SELECT set_config('role', 'postgres', true) AS t", SetConfig)]
    [TestCase("SELECT set_config('session_authorization', 'postgres', true) AS t", SetConfig)]
    [TestCase("SELECT nextval('public.metric_records_id_seq') AS n", "Function not allowed: nextval(regclass)")]
    [TestCase("SELECT * FROM metrics FOR UPDATE", "Not supported in a metric's query: FOR UPDATE / FOR SHARE (row locks)")]
    [TestCase("SELECT 1 AS one) AS x, LATERAL (SELECT pg_advisory_lock(7) AS locked", "Function not allowed: pg_advisory_lock(bigint)")]
    public async Task Hostile_sql_stored_without_the_allowlist_check_is_a_422_and_changes_nothing(string sql, string reason)
    {
        var before = await SnapshotAsync();
        var id = await PlantAsync(sql);

        var response = await Client.GetAsync($"/metrics/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonNode>())!["detail"]!.GetValue<string>().ShouldBe(reason);
        (await SnapshotAsync()).ShouldBe(before);
        await NormalCallStillWorksAsync();
    }

    [Test]
    public async Task A_query_that_kills_its_own_connection_does_not_break_the_pool()
    {
        var id = await PlantAsync("SELECT pg_terminate_backend(pg_backend_pid()) AS gone");

        var response = await Client.GetAsync($"/metrics/{id}");

        ((int)response.StatusCode).ShouldBeGreaterThanOrEqualTo(400);
        response.StatusCode.ShouldNotBe(HttpStatusCode.InternalServerError);
        await NormalCallStillWorksAsync();
    }

    private Task<Guid> PlantAsync(string sql) => SandboxPlanting.PlantAsync(Api.Database!, sql);

    private async Task NormalCallStillWorksAsync()
    {
        var response = await Client.GetAsync($"/metrics/{SampleMetrics.AlertsByType}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        var database = Api.Database!;
        return $"records={await database.ScalarAsync<long>("SELECT count(*) FROM metric_records")} " +
               $"tables={await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")}";
    }
}
