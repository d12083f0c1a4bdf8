using System.CommandLine;

namespace MetricsEngine.Web.Cli;

/// <summary>
/// What the command line asks for, decided before any host is built: serve the API (no verb), run
/// a verb (<c>migrate</c>, <c>import</c>, <c>token</c>), or answer at once: <c>--help</c>,
/// <c>--version</c>, or a usage error (exit 2, one line naming what is wrong). The host's own
/// options go to the host untouched (see <see cref="HostOptions"/>). Contract: docs/product.md#verbs.
/// </summary>
internal sealed class HostCommand
{
    public const string Migrate = "migrate";
    public const string Import = "import";
    public const string Token = "token";

    public const int UsageError = 2;

    private readonly ParseResult _result;
    private readonly string? _usageError;

    private HostCommand(ParseResult result, string[] hostArgs, string? usageError)
    {
        _result = result;
        HostArgs = hostArgs;
        _usageError = usageError;
        Verb = result.CommandResult.Command == CommandLineSyntax.Root ? null : result.CommandResult.Command.Name;
    }

    /// <summary>The verb to run, or null to serve the API.</summary>
    public string? Verb { get; }

    public bool IsVerb => Verb is not null;

    /// <summary>The arguments the host reads as configuration: host options and setting overrides.</summary>
    public string[] HostArgs { get; }

    /// <summary>True when the command line is answered without a host: help, version or a usage error.</summary>
    public bool IsAnswered => _usageError is not null || _result.Action is CommandLineSyntax.HelpWithFooter || _result.GetResult(CommandLineSyntax.Version) is not null;

    public static HostCommand Parse(string[] args) => Parse(args, Environment.GetEnvironmentVariable, AppContext.BaseDirectory);

    public static HostCommand Parse(string[] args, Func<string, string?> environment, string applicationFolder)
    {
        var split = HostOptions.Split(args);
        var hostArgs = split.HostArgs;
        if (!HostOptions.SetsContentRoot(hostArgs) && environment("ASPNETCORE_CONTENTROOT") is null && environment("DOTNET_CONTENTROOT") is null)
        {
            // A published app read from anywhere (`dotnet .data/app/MetricsEngine.Web.dll import`)
            // reads the appsettings.json beside it, not whatever the current folder holds.
            hostArgs = [.. hostArgs, $"--contentRoot={applicationFolder}"];
        }

        // Response files (@file) are not expanded: an argument means what it says.
        var result = CommandLineSyntax.Root.Parse(split.Remaining, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var usageError = split.Error ?? DescribeErrors(result);
        return new HostCommand(result, hostArgs, usageError);
    }

    /// <summary>Writes the help, the version or the usage error and returns the exit code.</summary>
    public int Answer(TextWriter output, TextWriter error)
    {
        if (_usageError is not null && _result.Action is not CommandLineSyntax.HelpWithFooter)
        {
            error.WriteLine(_usageError);
            return UsageError;
        }

        return _result.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    public bool Has(Option<bool> flag) => _result.GetValue(flag);

    public T? Value<T>(Option<T> option) => _result.GetValue(option);

    private static string? DescribeErrors(ParseResult result)
    {
        if (result.Errors.Count == 0)
        {
            return null;
        }

        var command = result.CommandResult.Command;
        var path = command == CommandLineSyntax.Root ? CommandLineSyntax.Program : $"{CommandLineSyntax.Program} {command.Name}";
        var messages = string.Join(" ", result.Errors.Select(e => e.Message).Distinct());
        var suggestion = result.UnmatchedTokens
            .Select(token => Suggest(token, command))
            .FirstOrDefault(s => s is not null);
        return $"{path}: {messages}{(suggestion is null ? "" : $" Did you mean '{suggestion}'?")} See '{path} --help'.";
    }

    /// <summary>The option or verb a typo most likely meant (--dryrun for --dry-run, imprt for import).</summary>
    private static string? Suggest(string token, Command command)
    {
        var candidates = command.Options.Where(o => !o.Hidden).Select(o => o.Name)
            .Concat(command.Subcommands.Select(c => c.Name));
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(Normalize(token), Normalize(candidate))))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();

        static string Normalize(string name) => name.TrimStart('-').Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
