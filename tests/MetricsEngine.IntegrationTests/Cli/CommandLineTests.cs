using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MetricsEngine.IntegrationTests.Cli;

/// <summary>
/// The command line of the published entry point, run as a separate process: help, refusals of
/// what it does not know (exit 2), missing settings (exit 1) and the host's own options.
/// </summary>
public sealed class CommandLineTests
{
    /// <summary>
    /// Settings under which any attempt to serve or to reach the database would fail loudly: no
    /// token issuer (the host refuses to start) and a database on a port nobody listens on.
    /// </summary>
    private static readonly Dictionary<string, string?> NothingToStart = new()
    {
        ["ConnectionStrings__Metrics"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=1",
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
    };

    [TestCase("--help", "Usage:\n  MetricsEngine.Web [command] [options]", "Host options")]
    [TestCase("-h", "Usage:\n  MetricsEngine.Web [command] [options]", "--Section:Key=VALUE")]
    [TestCase("migrate --help", "Usage:\n  MetricsEngine.Web migrate [options]", "--script-output <FILE>")]
    [TestCase("import --help", "Usage:\n  MetricsEngine.Web import [options]", "--dry-run")]
    [TestCase("import -h", "Usage:\n  MetricsEngine.Web import [options]", "Import__QueriesFile")]
    [TestCase("token --help", "Usage:\n  MetricsEngine.Web token [options]", "--scope <SCOPE>")]
    public async Task Help_prints_usage_and_exit_codes_and_exits_0_without_starting_anything(string arguments, string usage, string detail)
    {
        var result = await HostProcess.RunAppAsync(arguments.Split(' '), NothingToStart);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain(usage);
        result.Output.ShouldContain(detail);
        result.Output.ShouldContain("Exit codes:\n  0  done\n  1  failed");
        result.Error.ShouldBeEmpty();
    }

    [Test]
    public async Task Help_wins_over_a_mistake_next_to_it()
    {
        var result = await HostProcess.RunAppAsync(["import", "--dryrun", "--help"], NothingToStart);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("Usage:\n  MetricsEngine.Web import [options]");
    }

    [Test]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var result = await HostProcess.RunAppAsync(["--version"], NothingToStart);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldMatch(@"^\d+\.\d+\.\d+");
    }

    [TestCase("imprt", "MetricsEngine.Web: Unrecognized command or argument 'imprt'. Did you mean 'import'? See 'MetricsEngine.Web --help'.")]
    [TestCase("serve", "MetricsEngine.Web: Unrecognized command or argument 'serve'. See 'MetricsEngine.Web --help'.")]
    [TestCase("--bogus", "MetricsEngine.Web: Unrecognized command or argument '--bogus'. See 'MetricsEngine.Web --help'.")]
    [TestCase("import --dryrun", "MetricsEngine.Web import: Unrecognized command or argument '--dryrun'. Did you mean '--dry-run'? See 'MetricsEngine.Web import --help'.")]
    [TestCase("import extra.json", "MetricsEngine.Web import: Unrecognized command or argument 'extra.json'. See 'MetricsEngine.Web import --help'.")]
    [TestCase("migrate --scrpt", "MetricsEngine.Web migrate: Unrecognized command or argument '--scrpt'. Did you mean '--script'? See 'MetricsEngine.Web migrate --help'.")]
    [TestCase("migrate --script-output out.sql", "MetricsEngine.Web migrate: --script-output can only be used with --script. See 'MetricsEngine.Web migrate --help'.")]
    [TestCase("token --bogus", "MetricsEngine.Web token: Unrecognized command or argument '--bogus'. See 'MetricsEngine.Web token --help'.")]
    [TestCase("token --scope", "MetricsEngine.Web token: Required argument missing for option: '--scope'. See 'MetricsEngine.Web token --help'.")]
    [TestCase("token --lifetime-minutes 0", "MetricsEngine.Web token: --lifetime-minutes must be a whole number from 1 to 1440, not '0'. See 'MetricsEngine.Web token --help'.")]
    [TestCase("token --machine --group metrics-readers", "MetricsEngine.Web token: --machine tokens carry no username or groups: leave out --username and --group. See 'MetricsEngine.Web token --help'.")]
    [TestCase("--urls", "MetricsEngine.Web: option '--urls' needs a value (--urls=VALUE or --urls VALUE). See 'MetricsEngine.Web --help'.")]
    [TestCase("import --Import:MetricsFile", "MetricsEngine.Web: option '--Import:MetricsFile' needs a value (--Import:MetricsFile=VALUE or --Import:MetricsFile VALUE). See 'MetricsEngine.Web --help'.")]
    public async Task What_the_command_line_does_not_know_is_refused_with_one_line_and_exit_2(string arguments, string message)
    {
        // Development, where the token verb works: the refusal must be about the command line.
        var environment = new Dictionary<string, string?>(NothingToStart) { ["ASPNETCORE_ENVIRONMENT"] = "Development" };

        var result = await HostProcess.RunAppAsync(arguments.Split(' '), environment);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.ErrorLines.ShouldBe([message]);
        result.Output.ShouldBeEmpty();
    }

    [Test]
    public async Task Import_without_files_names_the_settings_and_exits_1_as_the_README_says()
    {
        // The README's command in a fresh shell: nothing configured but what appsettings.json holds.
        var result = await HostProcess.RunAppAsync(["import", "--dry-run"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldBe(["Nothing to import: set Import__QueriesFile, Import__MetricsFile and/or Import__RecordsFile (file paths)."]);
        result.Output.ShouldBeEmpty();
    }

    [Test]
    public async Task Import_without_a_database_names_the_setting_in_one_line_and_exits_1()
    {
        using var files = SampleMetrics.Files();

        var result = await HostProcess.RunAppAsync(["import"], new Dictionary<string, string?>
        {
            ["Import__QueriesFile"] = files.QueriesFile,
            ["Import__MetricsFile"] = files.MetricsFile,
            ["Import__RecordsFile"] = files.RecordsFile,
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldBe(["No database configured: set ConnectionStrings__Metrics (for example \"Host=localhost;Port=5432;Database=metrics;Username=metrics;Password=...\")."]);
        result.Output.ShouldBeEmpty();
    }

    [Test]
    public async Task Import_against_a_database_that_does_not_answer_says_what_the_database_said_and_exits_1()
    {
        using var files = SampleMetrics.Files();
        using var nobody = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        nobody.Start();
        var port = ((System.Net.IPEndPoint)nobody.LocalEndpoint).Port;
        nobody.Stop(); // a port nothing listens on

        var result = await HostProcess.RunAppAsync(["import"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Metrics"] = $"Host=127.0.0.1;Port={port};Database=metrics;Username=metrics;Password=x",
            ["Import__QueriesFile"] = files.QueriesFile,
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines[0].ShouldBe("Database unavailable: The database is unavailable. Try again shortly.");
        result.ErrorLines.Skip(1).ShouldContain(line => line.StartsWith("  caused by ", StringComparison.Ordinal) && line.Contains("refused", StringComparison.OrdinalIgnoreCase), result.ToString());
    }

    [Test]
    public async Task Migrate_without_a_database_names_the_setting_in_one_line_and_exits_1()
    {
        var result = await HostProcess.RunAppAsync(["migrate"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("No database configured: set ConnectionStrings__Metrics");
    }

    [Test]
    public async Task A_migration_script_that_cannot_be_written_is_one_line_and_exit_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "migrations.sql");

        var result = await HostProcess.RunAppAsync(["migrate", "--script", "--script-output", path]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith($"Cannot write the migration script to {path}: ");
    }

    [Test]
    public async Task Serving_without_a_token_issuer_ends_with_one_line_naming_the_settings_and_exit_1()
    {
        var result = await HostProcess.RunAppAsync([], NothingToStart);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines[^1].ShouldBe("MetricsEngine.Web cannot start: No token issuer is configured: set Auth__Authority, or Auth__Region and Auth__UserPoolId.");
        result.Error.ShouldNotContain("Unhandled exception");
    }

    [Test]
    public async Task Serving_on_an_address_another_process_holds_ends_with_one_line_and_exit_1()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)other.LocalEndpoint).Port}";

        var result = await HostProcess.RunAppAsync(["--urls", address], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Metrics"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=1",
            ["Auth__Authority"] = "http://127.0.0.1:1/pool",
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Auth__ClientIds__0"] = "client",
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines[^1].ShouldBe(
            $"MetricsEngine.Web cannot start: Failed to bind to address {address}: address already in use. " +
            "Stop the other process or choose another address (--urls for the API, Telemetry__PrometheusPort for its metrics).");
        result.Error.ShouldNotContain("Unhandled exception");
    }

    [Test]
    public async Task Serving_when_another_process_holds_the_metrics_port_ends_with_one_line_naming_it_and_exit_1()
    {
        using var other = new TcpListener(IPAddress.Any, 0);
        other.Start();
        var metricsPort = ((IPEndPoint)other.LocalEndpoint).Port;
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)free.LocalEndpoint).Port}";
        free.Stop();

        var result = await HostProcess.RunAppAsync(["--urls", address], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Metrics"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=1",
            ["Auth__Authority"] = "http://127.0.0.1:1/pool",
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Auth__ClientIds__0"] = "client",
            ["Telemetry__PrometheusPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines[^1].ShouldStartWith("MetricsEngine.Web cannot start: Failed to bind to address http://");
        result.ErrorLines[^1].ShouldContain($":{metricsPort}: address already in use.");
        result.ErrorLines[^1].ShouldEndWith("Telemetry__PrometheusPort for its metrics).");
        result.Error.ShouldNotContain("Unhandled exception");
    }

    [Test]
    public async Task Reads_the_appsettings_beside_it_wherever_it_is_run_from()
    {
        // appsettings.Development.json beside the dll turns the local issuer on; run from another
        // folder, the token verb only works if those settings were read.
        var keyPath = Path.Combine(Path.GetTempPath(), $"dev-key-{Guid.NewGuid():N}.pem");
        try
        {
            var result = await HostProcess.RunAppAsync(["token"], new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Auth__Local__KeyPath"] = keyPath,
            });

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Output.Trim().Split('.').Length.ShouldBe(3);
        }
        finally
        {
            File.Delete(keyPath);
        }
    }

    [Test]
    public async Task Host_options_and_setting_overrides_are_accepted_before_or_after_the_verb()
    {
        var keyPath = Path.Combine(Path.GetTempPath(), $"dev-key-{Guid.NewGuid():N}.pem");
        try
        {
            var result = await HostProcess.RunAppAsync(
            [
                "--environment", "Development", "token", "--scope", "api/metrics.read",
                "--urls=http://127.0.0.1:0", "--Auth:Local:Enabled=true", "--Auth__Local__KeyPath", keyPath,
            ]);

            result.ExitCode.ShouldBe(0, result.ToString());
            File.Exists(keyPath).ShouldBeTrue("--Auth__Local__KeyPath was not applied");
        }
        finally
        {
            File.Delete(keyPath);
        }
    }
}
