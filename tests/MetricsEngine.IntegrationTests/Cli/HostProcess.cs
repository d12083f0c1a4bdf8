using System.Diagnostics;

namespace MetricsEngine.IntegrationTests.Cli;

/// <summary>
/// A program run as an operator runs it: a process of its own with only the environment the test
/// gives it (plus PATH and the like), its exit code, stdout and stderr.
/// </summary>
internal static class HostProcess
{
    /// <summary>Settings a developer's or CI's shell may hold that would change what the program does.</summary>
    private static readonly string[] Cleared =
        ["ConnectionStrings__", "Import__", "Auth__", "Logging__", "Telemetry__", "OTEL_", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_CONTENTROOT", "METRICSENGINE_DATA_DIR"];

    /// <summary>The published entry point, as <c>dotnet MetricsEngine.Web.dll ARGS</c>, from a folder that is not its own.</summary>
    public static Task<ProcessResult> RunAppAsync(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null) =>
        RunAsync("dotnet", [typeof(Program).Assembly.Location, .. arguments], environment ?? new Dictionary<string, string?>());

    public static async Task<ProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string?> environment, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(fileName, arguments, environment, workingDirectory))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not end in time.\nstdout:\n{await output}\nstderr:\n{await error}");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => Cleared.Any(prefix => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";

        // No Prometheus port unless a test asks for one: the default (9464) can be held only once
        // on a machine, and other hosts (or another engineer's run) may hold it.
        start.Environment["Telemetry__PrometheusPort"] = "0";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }
}

internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
