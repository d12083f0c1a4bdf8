using System.Text.RegularExpressions;
using MetricsEngine.Web.Authentication;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Dashboard;

/// <summary>
/// The dashboard as this host serves it, resolved once from <see cref="DashboardOptions"/>: the
/// sign-in mode, the Cognito origin, where the built files are and the Content-Security-Policy
/// of the page.
/// </summary>
internal sealed partial class DashboardSite
{
    /// <summary>
    /// react-draggable's one inline style, a constant rule that stops text selection while a tile is
    /// dragged (src/Dashboard/README.md, "What the host provides"). Everything else the page needs
    /// comes from its own origin.
    /// </summary>
    public const string DraggableStyleHash = "'sha256-s8oZn728h+t0WNV6s+2xieaG3i2RB5cO2MMiUDIdinY='";

    /// <summary>Only what Cognito sign-in needs; permissions then follow the user's groups.</summary>
    public const string SignInScopes = "openid";

    public DashboardSite(IOptions<DashboardOptions> options, IOptions<AuthOptions> auth, IHostEnvironment environment)
    {
        var settings = options.Value;
        AuthMode = ModeFor(settings, LocalIssuerInUse(auth.Value, environment));
        CognitoOrigin = settings.CognitoDomain is { } domain && TryParseOrigin(domain, out var origin) ? origin : null;
        ClientId = string.IsNullOrWhiteSpace(settings.ClientId) ? null : settings.ClientId.Trim();
        PollSeconds = settings.PollSeconds;
        FilesRoot = FilesRootFor(settings, environment);
        Files = Directory.Exists(FilesRoot) ? new PhysicalFileProvider(FilesRoot) : new NullFileProvider();
        ContentSecurityPolicy = string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            $"style-src 'self' {DraggableStyleHash}",
            "img-src 'self' data:",
            "font-src 'self'",
            AuthMode == DashboardOptions.CognitoMode && CognitoOrigin is not null ? $"connect-src 'self' {CognitoOrigin}" : "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary><see cref="DashboardOptions.LocalMode"/> or <see cref="DashboardOptions.CognitoMode"/>.</summary>
    public string AuthMode { get; }

    /// <summary><c>https://host</c>, or null when not configured.</summary>
    public string? CognitoOrigin { get; }

    public string? ClientId { get; }

    public int PollSeconds { get; }

    public string FilesRoot { get; }

    public IFileProvider Files { get; }

    public string ContentSecurityPolicy { get; }

    /// <summary>False only in Cognito mode without the hosted UI's domain and client id.</summary>
    public bool SignInConfigured => AuthMode == DashboardOptions.LocalMode || (CognitoOrigin is not null && ClientId is not null);

    public bool IsBuilt => Files.GetFileInfo("index.html").Exists;

    /// <summary>As <see cref="CognitoAuthentication.UsesLocalIssuer"/> decides: Development with <c>Auth__Local__Enabled</c>.</summary>
    public static bool LocalIssuerInUse(AuthOptions auth, IHostEnvironment environment) => auth.Local.Enabled && environment.IsDevelopment();

    public static string ModeFor(DashboardOptions options, bool localIssuerInUse) =>
        string.IsNullOrWhiteSpace(options.AuthMode)
            ? localIssuerInUse ? DashboardOptions.LocalMode : DashboardOptions.CognitoMode
            : options.AuthMode.Trim().ToLowerInvariant();

    /// <summary>
    /// <c>https://x.auth.eu-west-1.amazoncognito.com</c> from that URL (a trailing slash allowed) or
    /// from the bare host name; anything else (another scheme, a path, a query) is refused, so that
    /// what goes into the CSP header is exactly an origin.
    /// </summary>
    public static bool TryParseOrigin(string value, out string origin)
    {
        var text = value.Trim().TrimEnd('/');
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = $"https://{text}";
        }

        text = text.ToLowerInvariant();
        origin = OriginPattern().IsMatch(text) ? text : string.Empty;
        return origin.Length > 0;
    }

    private static string FilesRootFor(DashboardOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.FilesPath))
        {
            return Path.GetFullPath(options.FilesPath, environment.ContentRootPath);
        }

        var published = Path.Combine(environment.ContentRootPath, "wwwroot", "dashboard");
        if (File.Exists(Path.Combine(published, "index.html")))
        {
            return published;
        }

        // Run from the source tree (dotnet run, the test host): src/Web/../Dashboard/dist.
        var source = Path.GetFullPath(Path.Combine(environment.ContentRootPath, "..", "Dashboard", "dist"));
        return File.Exists(Path.Combine(source, "index.html")) ? source : published;
    }

    [GeneratedRegex("^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$")]
    private static partial Regex OriginPattern();
}
