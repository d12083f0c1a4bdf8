using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MetricsEngine.Testing;

/// <summary>
/// The PostgreSQL server the tests run against: a throwaway cluster started from the installed
/// binaries in a temporary directory, or the server named by <c>METRICSENGINE_TEST_POSTGRES</c>
/// (an admin connection string) when set, e.g. in an IDE with a database already running.
/// One per test process.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ExternalServerVariable = "METRICSENGINE_TEST_POSTGRES";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static PostgresServer? _shared;

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
    }

    /// <summary>Superuser connection to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> SharedAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>Stops the shared cluster; called once per test assembly when its tests are done.</summary>
    public static async Task StopSharedAsync()
    {
        if (_shared is { } server)
        {
            _shared = null;
            await server.DisposeAsync();
        }
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null || _binDirectory is null)
        {
            return;
        }

        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], check: false);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping server: the temp directory is cleaned up by the OS.
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(ExternalServerVariable) is { Length: > 0 } external)
        {
            return new PostgresServer(external, null, null);
        }

        var bin = FindBinDirectory();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"metricsengine-pg-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(dataDirectory);
        if (Environment.IsPrivilegedProcess)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres user instead.
            await RunAsync("chown", ["postgres", dataDirectory], asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "pg_ctl"),
        [
            "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {dataDirectory} -c listen_addresses=127.0.0.1 -c max_connections=300 " +
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        ]);

        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", dataDirectory, bin);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            $"PostgreSQL binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql. Install PostgreSQL, set PG_BIN, " +
            $"or point {ExternalServerVariable} at a server (an admin connection string).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres = true, bool check = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
