using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MetricsEngine.Testing;
using MetricsEngine.Testing.Contract;

namespace MetricsEngine.IntegrationTests.Cli;

/// <summary>
/// <c>./run.sh</c> as a developer runs it, with its build and key in a folder of its own
/// (METRICSENGINE_DATA_DIR) and the test's database (ConnectionStrings__Metrics), so it neither
/// touches the clone's .data/ nor starts a PostgreSQL. The first test that needs the app pays for
/// one Release publish; the others find it up to date.
/// </summary>
[NonParallelizable]
public sealed class RunScriptTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private string _repository = null!;
    private string _dataDirectory = null!;
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task CreateDataDirectoryAndDatabase()
    {
        _repository = FindRepository();
        _dataDirectory = Directory.CreateTempSubdirectory("metricsengine-run-").FullName;
        _database = await TestDatabase.CreateAsync();
    }

    [OneTimeTearDown]
    public async Task RemoveThem()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Test]
    public async Task Help_lists_every_command()
    {
        var result = await RunAsync(["--help"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("./run.sh import [--dry-run]");
        result.Output.ShouldContain("./run.sh token [OPTION]...");
        result.Output.ShouldContain("SIGINT or SIGTERM stops the API it started");
    }

    [Test]
    public async Task An_unknown_command_is_refused_with_exit_2()
    {
        var result = await RunAsync(["tokn"]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.ErrorLines.ShouldBe(["run.sh: unknown command 'tokn'. Usage: ./run.sh [serve|import|token|stop|--help]"]);
    }

    [Test]
    public async Task A_port_taken_by_another_process_is_refused_before_anything_starts()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var result = await RunAsync([], new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://localhost:{port}" });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith($"run.sh: port {port} is already in use by ");
        result.Error.ShouldContain($"ASPNETCORE_URLS=http://localhost:{port + 1} ./run.sh");
        result.Output.ShouldBeEmpty();
    }

    [Test]
    public async Task Token_options_are_checked_by_the_verb_not_refused_as_development_only()
    {
        await BuildAsync();

        var help = await RunAsync(["token", "--help"]);
        help.ExitCode.ShouldBe(0, help.ToString());
        help.Output.ShouldContain("Usage:\n  MetricsEngine.Web token [options]");

        var bogus = await RunAsync(["token", "--bogus"]);
        bogus.ExitCode.ShouldBe(2, bogus.ToString());
        bogus.ErrorLines[^1].ShouldBe("MetricsEngine.Web token: Unrecognized command or argument '--bogus'. See 'MetricsEngine.Web token --help'.");

        var noValue = await RunAsync(["token", "--scope"]);
        noValue.ExitCode.ShouldBe(2, noValue.ToString());
        noValue.ErrorLines[^1].ShouldBe("MetricsEngine.Web token: Required argument missing for option: '--scope'. See 'MetricsEngine.Web token --help'.");

        var token = await RunAsync(["token", "--scope", "api/metrics.read"]);
        token.ExitCode.ShouldBe(0, token.ToString());
        token.Output.Trim().Split('.').Length.ShouldBe(3);

        // The command the dashboard's expired-token message gives (src/Dashboard/src/auth/token.ts).
        var link = await RunAsync(["token", "--dashboard"]);
        link.ExitCode.ShouldBe(0, link.ToString());
        link.Output.Trim().ShouldStartWith("http://localhost:8080/dashboard/#access_token=");
    }

    [Test]
    public async Task Sources_unchanged_since_the_last_publish_are_not_built_again()
    {
        await BuildAsync();

        var result = await RunAsync(["token"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.ErrorLines.ShouldContain("Build: up to date (no source changed since the last publish).");
        result.Error.ShouldNotContain("publishing");
    }

    [Test]
    public async Task Import_dry_run_prints_the_report_and_keeps_nothing()
    {
        await BuildAsync();
        await using var database = await TestDatabase.CreateAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Metrics"] = database.ConnectionString };

        var result = await RunAsync(["import", "--dry-run"], environment);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("(dry run: nothing was kept)");
        result.Output.ShouldContain("10 issue(s):");

        var typo = await RunAsync(["import", "--dryrun"], environment);
        typo.ExitCode.ShouldBe(2, typo.ToString());
        (await database.ScalarAsync<long>("SELECT count(*) FROM import_runs")).ShouldBe(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM metric_records")).ShouldBe(0);
    }

    [TestCase("TERM", 143)]
    [TestCase("INT", 130)]
    public async Task A_signal_to_run_sh_stops_the_api_and_leaves_no_process_behind(string signal, int exitCode)
    {
        await BuildAsync();
        var port = FreePort();
        var environment = Database();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // As from a terminal: a runner started in the background (nohup, `cmd &` without job control)
        // ignores SIGINT, every child inherits that, and bash cannot trap a signal ignored on entry,
        // so run.sh would never see the Ctrl-C under test. env restores the default (and execs, keeping the pid).
        using var script = Process.Start(HostProcess.StartInfo("env", ["--default-signal=INT", RunSh], Settings(environment), _repository))!;
        var log = new StringBuilder();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        script.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("MetricsEngine is running on", StringComparison.Ordinal) == true)
            {
                running.TrySetResult();
            }
        };
        script.OutputDataReceived += (_, _) => { };
        script.BeginErrorReadLine();
        script.BeginOutputReadLine();
        try
        {
            var first = await Task.WhenAny(running.Task, script.WaitForExitAsync()).WaitAsync(BuildTimeout);
            first.ShouldBe(running.Task, $"run.sh ended before the API was running:\n{log}");
            var descendants = Descendants(script.Id);
            descendants.ShouldNotBeEmpty("the API should be a child of run.sh");
            using (var http = ContractCheckingHandler.ClientOf(new Uri($"http://127.0.0.1:{port}")))
            {
                (await http.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

                // The published app carries the dashboard, and run.sh prints the link that opens it signed in.
                var page = await http.GetAsync(new Uri("/dashboard/", UriKind.Relative));
                page.StatusCode.ShouldBe(HttpStatusCode.OK);
                (await page.Content.ReadAsStringAsync()).ShouldContain("<title>MetricsEngine dashboard</title>");
                var linkPrinted = false;
                for (var i = 0; i < 50 && !linkPrinted; i++)
                {
                    lock (log)
                    {
                        linkPrinted = log.ToString().Contains($"http://localhost:{port}/dashboard/#access_token=", StringComparison.Ordinal);
                    }

                    await Task.Delay(linkPrinted ? 0 : 100);
                }

                linkPrinted.ShouldBeTrue($"run.sh printed no dashboard link:\n{log}");
            }

            (await HostProcess.RunAsync("kill", [$"-{signal}", script.Id.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string?>())).ExitCode.ShouldBe(0);
            try
            {
                await script.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                // Say what was still running and what it had printed, so a hang can be told from a slow stop.
                var stillRunning = Descendants(script.Id).Prepend(script.Id).Select(pid =>
                    $"{pid} {ReadOr($"/proc/{pid}/stat")} {ReadOr($"/proc/{pid}/cmdline").Replace('\0', ' ')}");
                Assert.Fail($"run.sh did not end within 60 s of SIG{signal}. Still running:\n{string.Join('\n', stillRunning)}\nLog:\n{log}");
            }

            script.ExitCode.ShouldBe(exitCode, log.ToString());
            descendants.Where(IsAlive).ShouldBeEmpty($"left running after run.sh ended:\n{log}");
            Listening(port).ShouldBeFalse("the API's port is still open");
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }
        }
    }

    private string RunSh => Path.Combine(_repository, "run.sh");

    private Dictionary<string, string?> Database() => new() { ["ConnectionStrings__Metrics"] = _database.ConnectionString };

    private Dictionary<string, string?> Settings(IDictionary<string, string?>? environment)
    {
        var settings = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["METRICSENGINE_DATA_DIR"] = _dataDirectory,
            ["ASPNETCORE_ENVIRONMENT"] = null, // run.sh's own default, Development
        };
        return settings;
    }

    private Task<ProcessResult> RunAsync(string[] arguments, IDictionary<string, string?>? environment = null) =>
        HostProcess.RunAsync(RunSh, arguments, Settings(environment), _repository, BuildTimeout);

    /// <summary>Publishes once for the fixture (the first call builds; later ones find it up to date).</summary>
    private async Task BuildAsync()
    {
        var result = await RunAsync(["token", "--help"]);
        result.ExitCode.ShouldBe(0, result.ToString());
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "run.sh")) && File.Exists(Path.Combine(directory.FullName, "MetricsEngine.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No run.sh above {AppContext.BaseDirectory}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Every process below <paramref name="root"/>, from /proc (Linux).</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var child in parents.Where(p => p.Value == current).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string ReadOr(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
