using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Sandbox;

/// <summary>
/// The migrations give the sandbox role limits of its own, a second line behind the API's
/// (README: "Running stored SQL safely"): whatever opens a session as metrics_query gets them.
/// </summary>
public sealed class RoleLimitsTests
{
    [Test]
    public async Task The_sandbox_role_has_its_timeouts_memory_and_temporary_file_limits()
    {
        await using var database = await TestDatabase.CreateAsync();

        var settings = await database.ScalarAsync<string>("""
            SELECT string_agg(setting, ', ' ORDER BY setting)
            FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS setting
            WHERE r.rolname = 'metrics_query' AND s.setdatabase = 0
            """);

        // temp_file_limit: the test cluster's migrating user is a superuser, who may set it.
        settings.ShouldBe("default_transaction_read_only=on, idle_in_transaction_session_timeout=10s, search_path=query_surface, " +
                          "statement_timeout=30s, temp_file_limit=128MB, work_mem=4MB");
    }

    [Test]
    public async Task The_sandbox_role_may_hold_only_as_many_connections_as_two_instances_use()
    {
        Assume.That(Environment.GetEnvironmentVariable(PostgresServer.ExternalServerVariable), Is.Null.Or.Empty,
            "A shared test server lifts the role's limit for the test processes that share it.");
        await using var database = await TestDatabase.CreateAsync();

        (await database.ScalarAsync<int>("SELECT rolconnlimit FROM pg_roles WHERE rolname = 'metrics_query'")).ShouldBe(24);
        (await database.ScalarAsync<bool>($"SELECT has_database_privilege('metrics_query', '{database.Name}', 'TEMPORARY')")).ShouldBeTrue();
    }
}
