using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;

namespace MetricsEngine.Web.Cli;

/// <summary>
/// The verbs, their options and their help text, declared once with System.CommandLine
/// (docs/adr/command-line.md). The host's own options are not declared here: they are taken out
/// of the arguments before parsing (<see cref="HostOptions"/>) and listed in the root help.
/// </summary>
internal static class CommandLineSyntax
{
    public const string Program = "MetricsEngine.Web";

    public static readonly VersionOption Version = new();

    public static readonly Option<bool> Script = new("--script")
    {
        Description = "Print every migration as one idempotent SQL script instead of applying them (needs no database).",
    };

    public static readonly Option<string> ScriptOutput = new("--script-output")
    {
        Description = "With --script: write the script to FILE instead of standard output.",
        HelpName = "FILE",
    };

    public static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Read, check and count everything in one transaction that is rolled back: nothing is kept.",
    };

    public static readonly Option<string[]> Scope = new("--scope")
    {
        Description = "A scope the token carries; repeatable. Default, when neither --scope nor --group is given: api/backend_access api/metrics.admin.",
        HelpName = "SCOPE",
        Arity = ArgumentArity.OneOrMore,
    };

    public static readonly Option<string[]> Group = new("--group")
    {
        Description = "A Cognito group (cognito:groups) the token carries; repeatable.",
        HelpName = "GROUP",
        Arity = ArgumentArity.OneOrMore,
    };

    public static readonly Option<string> Username = new("--username")
    {
        Description = "The token's username. Default: local-developer.",
        HelpName = "NAME",
    };

    public static readonly Option<string> ClientId = new("--client-id")
    {
        Description = "The token's client_id. Default: Auth__Local__ClientId (metricsengine-local).",
        HelpName = "ID",
    };

    public static readonly Option<int> LifetimeMinutes = new("--lifetime-minutes")
    {
        Description = "How long the token is valid, 1 to 1440 minutes.",
        HelpName = "MINUTES",
        DefaultValueFactory = _ => 60,
        CustomParser = result =>
        {
            if (int.TryParse(result.Tokens[^1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes is >= 1 and <= 24 * 60)
            {
                return minutes;
            }

            result.AddError($"--lifetime-minutes must be a whole number from 1 to 1440, not '{result.Tokens[^1].Value}'.");
            return 0;
        },
    };

    public static readonly Option<bool> Machine = new("--machine")
    {
        Description = "A machine token, as the client-credentials flow issues: scopes only, no username, no groups.",
    };

    public static readonly Option<bool> Dashboard = new("--dashboard")
    {
        Description = "Print a link that opens the dashboard signed in with the token (/dashboard/#access_token=...), on the address the API serves on (ASPNETCORE_URLS or --urls; default http://localhost:8080).",
    };

    private const string ExitCodes = """
        Exit codes:
          0  done
          1  failed: the reason is the last line on standard error
          2  the command line is wrong (or the verb is not available here); nothing was done
        """;

    private static readonly Dictionary<string, string> Footers = new(StringComparer.Ordinal)
    {
        [Program] = $"""
            Host options (before or after a command; names are not case-sensitive):
              --urls URLS              where to serve (default http://localhost:8080)
              --environment NAME       Development, Production, ... (default: ASPNETCORE_ENVIRONMENT, else Production)
              --contentRoot PATH       where appsettings*.json are read (default: the folder of {Program}.dll)
              --applicationName NAME, --webroot PATH, --http_ports PORTS, --https_ports PORTS
              --Section:Key=VALUE, --Section:Key VALUE, --Section__Key VALUE
                                       override any setting, e.g. --Import:OnStartup=false
            Settings come from appsettings.json, then appsettings.<environment>.json, then environment variables
            (Section__Key=VALUE), then host options; the last one wins.

            {ExitCodes}
            """,
        [HostCommand.Migrate] = $"""
            Connects as ConnectionStrings__Metrics (not needed with --script).

            {ExitCodes}
            """,
        [HostCommand.Import] = $"""
            Reads Import__QueriesFile, Import__MetricsFile and Import__RecordsFile (any of them; at least one) and
            writes to ConnectionStrings__Metrics. Prints counts per kind, then every issue; progress goes to standard error.
            An import with issues still exits 0: the issues are the report.

            {ExitCodes}
            """,
        [HostCommand.Token] = $"""
            Signs with the key at Auth__Local__KeyPath (created on first use). Works only in Development with
            Auth__Local__Enabled=true; elsewhere, get a token from your Cognito user pool.

            {ExitCodes}
            """,
    };

    /// <summary>Built once: options and validators are shared by every parse.</summary>
    public static Command Root { get; } = Build();

    private static Command Build()
    {
        var root = new Command(Program, "MetricsEngine serves metric dashboards over HTTP. Without a command it serves the API until Ctrl-C or SIGTERM.")
        {
            Options = { new HelpOption { Recursive = true }, Version },
        };

        // Serving runs once the host is built (Program.cs); this action only tells the parser
        // that no command at all is complete ("serve") rather than a missing command.
        root.SetAction(_ => 0);

        var migrate = new Command(HostCommand.Migrate, "Apply the pending database migrations, or print them as an idempotent SQL script.")
        {
            Options = { Script, ScriptOutput },
        };
        migrate.Validators.Add(result =>
        {
            if (result.GetResult(ScriptOutput) is not null && result.GetResult(Script) is null)
            {
                result.AddError("--script-output can only be used with --script.");
            }
        });

        var import = new Command(HostCommand.Import, "Import the configured query, metric and record files and print the report.")
        {
            Options = { DryRun },
        };

        var token = new Command(HostCommand.Token, "Print a local development access token (Cognito-shaped, RS256) on standard output.")
        {
            Options = { Scope, Group, Username, ClientId, LifetimeMinutes, Machine, Dashboard },
        };
        token.Validators.Add(result =>
        {
            if (result.GetResult(Machine) is not null && (result.GetResult(Username) is not null || result.GetResult(Group) is not null))
            {
                result.AddError("--machine tokens carry no username or groups: leave out --username and --group.");
            }
        });

        root.Subcommands.Add(migrate);
        root.Subcommands.Add(import);
        root.Subcommands.Add(token);
        AddFooters(root);
        return root;
    }

    private static void AddFooters(Command root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithFooter((HelpAction)help.Action!);
    }

    /// <summary>The generated help, then what it cannot say: host options, settings read, exit codes.</summary>
    internal sealed class HelpWithFooter(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = help.Invoke(parseResult);
            if (Footers.TryGetValue(parseResult.CommandResult.Command.Name, out var footer))
            {
                parseResult.InvocationConfiguration.Output.WriteLine(footer.TrimEnd());
            }

            return exitCode;
        }
    }
}
