using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Cli;

/// <summary>The host's one-shot verbs, run as an operator runs them: a separate process, exit codes, stdout.</summary>
public sealed class VerbTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public async Task CreateDatabase() => _database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task DropDatabase() => await _database.DisposeAsync();

    [Test]
    public async Task Import_prints_counts_then_every_issue_and_exits_0()
    {
        using var files = SampleMetrics.Files().QueriesCsv("id,query\nq_alerts,\"-- Alerts\nSELECT 1 AS one\"\nq_alerts,\"SELECT 2\"\n");

        var (exitCode, output, _) = await RunAsync(files, "import");

        exitCode.ShouldBe(0);
        output.ShouldContain("queries            2         1         0          0         1");
        output.ShouldContain("ERROR   queries.csv line 4 [q_alerts]: Duplicate query id 'q_alerts': lines 2-3 already defines it, so this row was ignored.");
        output.ShouldContain("ERROR   metrics.json items[1] [5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41]: Metric 5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41 names query 'q_cost'");
    }

    [Test]
    public async Task Import_of_a_file_with_poison_rows_stores_every_good_row_and_makes_each_poison_row_an_issue()
    {
        // A relation someone holds locked makes that row's allowlist check wait until its timeout.
        await _database.ExecuteAsync("CREATE TABLE public.held_lock (x int)");
        await using var holder = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockIt = new Npgsql.NpgsqlCommand("LOCK TABLE public.held_lock IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await lockIt.ExecuteNonQueryAsync();
        }

        using var files = new ImportFileSet().QueriesCsv(
            "id,query\n" +
            "q_good_1,\"SELECT alert_type, count(*) AS n FROM metrics GROUP BY 1\"\n" +
            "q_slow_check,\"SELECT count(*) FROM public.held_lock\"\n" +
            "q_nul,\"SELECT 1 AS \0one\"\n" +
            "q_refused,\"SELECT \"\"lo_from_bytea\"\"(0, 'x'::bytea)\"\n" +
            "q_bad_value,\"SELECT 'x'::integer AS n\"\n" +
            "q_good_2,\"SELECT DATE(date) AS day FROM metrics WHERE date BETWEEN '2025-06-01' AND '2025-06-30'\"\n");

        var (exitCode, output, error) = await RunProcessAsync(["import"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Metrics"] = _database.ConnectionString,
            ["Import__QueriesFile"] = files.QueriesFile,
            ["Query__CheckTimeoutMilliseconds"] = "500",
        });

        exitCode.ShouldBe(0, error);
        output.ShouldContain("queries            6         2         0          0         4");
        output.ShouldContain("ERROR   queries.csv line 3 [q_slow_check]: Query 'q_slow_check' was rejected: Checking the query did not finish within 0.5 seconds.");
        output.ShouldContain("ERROR   queries.csv line 4 [q_nul]: Query 'q_nul' was rejected: The query contains a NUL character (U+0000), which PostgreSQL can neither store nor run.");
        output.ShouldContain("ERROR   queries.csv line 5 [q_refused]: Query 'q_refused' was rejected: Function not allowed: lo_from_bytea(oid,bytea)");
        output.ShouldContain("ERROR   queries.csv line 6 [q_bad_value]: Query 'q_bad_value' was rejected: Invalid data in the query: invalid input syntax for type integer: \"x\"");
        (await _database.ScalarAsync<string>("SELECT string_agg(id, ',' ORDER BY id) FROM queries")).ShouldBe("q_good_1,q_good_2");
        (await _database.ScalarAsync<long>("SELECT count(*) FROM import_issues")).ShouldBe(4);
    }

    [Test]
    public async Task Import_dry_run_reports_without_keeping_anything()
    {
        using var files = SampleMetrics.Files();

        var (exitCode, output, error) = await RunAsync(files, "import", "--dry-run");

        exitCode.ShouldBe(0);
        output.ShouldContain("(dry run: nothing was kept)");
        error.ShouldMatch(@"metric_records\.json: 13 records read and written in [0-9.]+ s \([0-9,]+/s\)");
        output.ShouldContain("records           13        13         0          0         0");
        (await _database.ScalarAsync<long>("SELECT count(*) FROM metric_records")).ShouldBe(0);
    }

    [Test]
    public async Task A_mistyped_flag_imports_nothing()
    {
        using var files = SampleMetrics.Files();

        var (exitCode, output, error) = await RunAsync(files, "import", "--dryrun");

        exitCode.ShouldBe(2);
        error.ShouldContain("'--dryrun'");
        output.ShouldBeEmpty();
        (await _database.ScalarAsync<long>("SELECT count(*) FROM import_runs")).ShouldBe(0);
        (await _database.ScalarAsync<long>("SELECT count(*) FROM metric_records")).ShouldBe(0);
    }

    [Test]
    public async Task Import_takes_its_files_from_setting_overrides_on_the_command_line()
    {
        using var files = SampleMetrics.Files();

        var result = await HostProcess.RunAppAsync(
            ["import", "--dry-run", $"--Import:QueriesFile={files.QueriesFile}", "--Import__MetricsFile", files.MetricsFile!,
             "--Import:RecordsFile", files.RecordsFile!, "--environment", "Testing", "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?> { ["ConnectionStrings__Metrics"] = _database.ConnectionString });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("records           13        13         0          0         0");
    }

    [Test]
    public async Task Import_of_a_missing_file_exits_1_with_a_clear_message()
    {
        using var files = SampleMetrics.Files();
        File.Delete(files.RecordsFile!);

        var (exitCode, output, error) = await RunAsync(files, "import");

        exitCode.ShouldBe(1);
        error.ShouldContain($"Import failed: {files.RecordsFile}: the file does not exist.");
        output.ShouldBeEmpty();
    }

    [Test]
    public async Task Import_of_a_file_that_is_not_json_exits_1()
    {
        using var files = SampleMetrics.Files().MetricsJson("id,query\nnot,json\n");

        var (exitCode, _, error) = await RunAsync(files, "import");

        exitCode.ShouldBe(1);
        error.ShouldContain("metrics.json: this is not valid JSON (line 1, position 1).");
    }

    [Test]
    public async Task Migrate_on_an_up_to_date_database_says_so()
    {
        using var files = new ImportFileSet();

        var (exitCode, output, _) = await RunAsync(files, "migrate");

        exitCode.ShouldBe(0);
        output.ShouldBe("The database is up to date; no migration to apply.\n");
    }

    [Test]
    public async Task Migrate_script_prints_an_idempotent_script_without_a_database()
    {
        var (exitCode, output, _) = await RunProcessAsync(["migrate", "--script"], new Dictionary<string, string?>());

        exitCode.ShouldBe(0);
        output.ShouldContain("CREATE VIEW query_surface.metrics AS");
        output.ShouldContain("IF NOT EXISTS(SELECT 1 FROM \"__EFMigrationsHistory\"");
    }

    [Test]
    public async Task Token_outside_development_refuses_and_exits_2()
    {
        var (exitCode, output, error) = await RunProcessAsync(["token"], new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("works only in Development");
    }

    [Test]
    public async Task Token_in_development_prints_one_cognito_shaped_access_token()
    {
        var keyPath = Path.Combine(Path.GetTempPath(), $"dev-key-{Guid.NewGuid():N}.pem");
        try
        {
            var (exitCode, output, _) = await RunProcessAsync(["token", "--scope", "api/metrics.read"], new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Auth__Local__Enabled"] = "true",
                ["Auth__Local__KeyPath"] = keyPath,
            });

            exitCode.ShouldBe(0);
            var token = output.Trim();
            token.Split('.').Length.ShouldBe(3);
            var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[1])));
            payload.ShouldContain("\"token_use\":\"access\"");
            payload.ShouldContain("\"scope\":\"api/metrics.read\"");
            payload.ShouldContain("\"client_id\":\"metricsengine-local\"");
            File.Exists(keyPath).ShouldBeTrue();
        }
        finally
        {
            File.Delete(keyPath);
        }
    }

    [Test]
    public async Task Token_with_dashboard_prints_a_link_that_signs_the_dashboard_in_on_the_served_address()
    {
        var keyPath = Path.Combine(Path.GetTempPath(), $"dev-key-{Guid.NewGuid():N}.pem");
        try
        {
            var (exitCode, output, _) = await RunProcessAsync(["token", "--dashboard"], new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://+:8383",
                ["Auth__Local__Enabled"] = "true",
                ["Auth__Local__KeyPath"] = keyPath,
            });

            exitCode.ShouldBe(0);
            var link = output.Trim();
            link.ShouldStartWith("http://localhost:8383/dashboard/#access_token=");
            var token = link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..];
            var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[1])));
            payload.ShouldContain("\"scope\":\"api/backend_access api/metrics.admin\"");
            payload.ShouldContain("\"username\":\"local-developer\"");
        }
        finally
        {
            File.Delete(keyPath);
        }
    }

    private static string Pad(string base64Url)
    {
        var base64 = base64Url.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(ImportFileSet files, params string[] arguments)
    {
        var result = await HostProcess.RunAppAsync(arguments, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Metrics"] = _database.ConnectionString,
            ["Import__QueriesFile"] = files.QueriesFile,
            ["Import__MetricsFile"] = files.MetricsFile,
            ["Import__RecordsFile"] = files.RecordsFile,
        });
        return (result.ExitCode, result.Output, result.Error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(
        IEnumerable<string> arguments, IDictionary<string, string?> environment)
    {
        var result = await HostProcess.RunAppAsync(arguments, environment);
        return (result.ExitCode, result.Output, result.Error);
    }
}
