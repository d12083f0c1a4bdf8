namespace MetricsEngine.Web.Cli;

/// <summary>
/// The arguments that belong to the ASP.NET Core host rather than to a verb, taken out before the
/// verbs are parsed so that they are accepted anywhere and never mistaken for a typo. A host option
/// starts with <c>--</c> and is either
/// <list type="bullet">
/// <item>one of the host's settings, <see cref="Settings"/> (names not case-sensitive, like configuration keys), or</item>
/// <item>a configuration path, <c>--Section:Key</c> or <c>--Section__Key</c> (the environment variable spelling),</item>
/// </list>
/// with its value after <c>=</c> or as the next argument. The host's other spellings (<c>/key</c>,
/// <c>key=value</c>) are not accepted: they look like typos. Everything else is left to the verbs.
/// </summary>
internal static class HostOptions
{
    public static readonly IReadOnlySet<string> Settings = new HashSet<string>(
        ["urls", "http_ports", "https_ports", "environment", "contentRoot", "applicationName", "webroot"],
        StringComparer.OrdinalIgnoreCase);

    public sealed record Result(string[] HostArgs, string[] Remaining, string? Error);

    public static Result Split(IReadOnlyList<string> args)
    {
        var hostArgs = new List<string>();
        var remaining = new List<string>();
        string? error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || Name(arg) is not { } name || !IsHostOption(name))
            {
                remaining.Add(arg);
                continue;
            }

            string value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                error ??= $"{CommandLineSyntax.Program}: option '--{name}' needs a value (--{name}=VALUE or --{name} VALUE). See '{CommandLineSyntax.Program} --help'.";
                continue;
            }

            hostArgs.Add($"--{name.Replace("__", ":", StringComparison.Ordinal)}={value}");
        }

        return new Result([.. hostArgs], [.. remaining], error);
    }

    public static bool SetsContentRoot(IEnumerable<string> hostArgs) =>
        hostArgs.Any(arg => arg.StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase));

    private static string? Name(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals >= 0 ? arg[2..equals] : arg[2..];
        return name.Length > 0 ? name : null;
    }

    private static bool IsHostOption(string name) =>
        Settings.Contains(name) || (char.IsLetter(name[0]) && (name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal)) && !name.EndsWith(':'));
}
