using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Web.Dashboard;

/// <summary>
/// The dashboard the host serves at <c>/dashboard/</c> (configuration section <c>Dashboard</c>):
/// how its users sign in and how often it revalidates tiles when there is no live stream.
/// README, "Dashboard", has the settings in full.
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public const string LocalMode = "local";
    public const string CognitoMode = "cognito";

    /// <summary>
    /// <c>local</c>: the page takes its token from the link's fragment (<c>./run.sh token --dashboard</c>);
    /// <c>cognito</c>: it signs users in through the hosted UI. Unset: <c>local</c> where the local
    /// development issuer is in use, <c>cognito</c> everywhere else.
    /// </summary>
    public string? AuthMode { get; set; }

    /// <summary>The Cognito hosted UI, <c>https://&lt;prefix&gt;.auth.&lt;region&gt;.amazoncognito.com</c> (a bare host name is taken as https).</summary>
    public string? CognitoDomain { get; set; }

    /// <summary>The app client people sign in with (authorization code with PKCE); it must be one of <c>Auth__ClientIds</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>How often the page revalidates each tile with If-None-Match when no live stream is available.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 15;

    /// <summary>
    /// Where the built page is (<c>index.html</c> and <c>assets/</c>). Unset: <c>wwwroot/dashboard</c>
    /// under the content root (the published app), else <c>src/Dashboard/dist</c> when the host runs
    /// from the source tree.
    /// </summary>
    public string? FilesPath { get; set; }
}
