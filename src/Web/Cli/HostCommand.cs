namespace MetricsEngine.Web.Cli;

/// <summary>
/// The host's verbs (SPEC §7): <c>migrate</c>, <c>import [--dry-run]</c> and, in Development,
/// <c>token [--scope S]... [--group G]...</c>. No verb serves the API. Arguments a verb does not
/// know go to the host's configuration, so <c>--urls</c> and <c>--Import:MetricsFile=...</c> work.
/// </summary>
internal sealed record HostCommand(string? Verb, IReadOnlyDictionary<string, List<string>> Options, ISet<string> Flags, string[] HostArgs)
{
    public const string Migrate = "migrate";
    public const string Import = "import";
    public const string Token = "token";

    private static readonly Dictionary<string, (string[] Options, string[] Flags)> Grammar = new(StringComparer.Ordinal)
    {
        [Migrate] = (["--script-output"], ["--script"]),
        [Import] = ([], ["--dry-run"]),
        [Token] = (["--scope", "--group", "--username", "--client-id", "--lifetime-minutes"], ["--machine"]),
    };

    public bool IsVerb => Verb is not null;

    public static HostCommand Parse(string[] args)
    {
        if (args.Length == 0 || !Grammar.TryGetValue(args[0], out var grammar))
        {
            return new HostCommand(null, new Dictionary<string, List<string>>(), new HashSet<string>(), args);
        }

        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var hostArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (grammar.Flags.Contains(args[i]))
            {
                flags.Add(args[i]);
            }
            else if (grammar.Options.Contains(args[i]) && i + 1 < args.Length)
            {
                (options.TryGetValue(args[i], out var values) ? values : options[args[i]] = []).Add(args[++i]);
            }
            else
            {
                hostArgs.Add(args[i]);
            }
        }

        return new HostCommand(args[0], options, flags, [.. hostArgs]);
    }

    public IReadOnlyList<string> Values(string option) => Options.TryGetValue(option, out var values) ? values : [];

    public string? Value(string option) => Values(option) is { Count: > 0 } values ? values[^1] : null;
}
