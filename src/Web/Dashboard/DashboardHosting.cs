using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Dashboard;

/// <summary>
/// Serves the dashboard (src/Dashboard's build) at <c>/dashboard/</c>, anonymously (its files and
/// config.json hold no data; every API call it makes carries its own token):
/// <list type="bullet">
/// <item><c>/dashboard</c> redirects to <c>/dashboard/</c> (query kept: it is the shared window);</item>
/// <item><c>/dashboard/</c> is index.html, revalidated on every load (<c>no-cache</c>);</item>
/// <item><c>/dashboard/assets/*</c> have a content hash in their names and are cached for a year;</item>
/// <item><c>/dashboard/config.json</c> tells the page how to sign in, never cached.</item>
/// </list>
/// Every answer carries the page's strict Content-Security-Policy. The routes are explicit
/// endpoints, so nothing under /dashboard falls through to another handler, and they are left out
/// of the OpenAPI document (they are not the API). Choices: docs/adr/dashboard-hosting.md.
/// </summary>
public static partial class DashboardHosting
{
    private const string ImmutableAsset = "public, max-age=31536000, immutable";
    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddSingleton<DashboardSite>();
        services.AddHostedService<DashboardStartupReport>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        var dashboard = routes.MapGroup("/dashboard")
            .AllowAnonymous()
            .ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                SetPageHeaders(context.HttpContext);
                return await next(context);
            });

        dashboard.MapMethods("/config.json", ReadMethods, Config).WithName("DashboardConfig");
        dashboard.MapMethods("/{**path}", ReadMethods, File).WithName("DashboardFiles");
        return routes;
    }

    private static void SetPageHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = http.RequestServices.GetRequiredService<DashboardSite>().ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    private static Results<JsonHttpResult<DashboardConfigDocument>, ProblemHttpResult> Config(HttpContext http, DashboardSite site)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!site.SignInConfigured)
        {
            return TypedResults.Problem(
                title: "Dashboard sign-in not configured",
                detail: "This deployment signs dashboard users in with Cognito but does not say where: set Dashboard__CognitoDomain and Dashboard__ClientId.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Json(new DashboardConfigDocument(
            site.AuthMode,
            site.AuthMode == DashboardOptions.CognitoMode ? site.CognitoOrigin : null,
            site.AuthMode == DashboardOptions.CognitoMode ? site.ClientId : null,
            DashboardSite.SignInScopes,
            site.PollSeconds));
    }

    private static IResult File(string? path, HttpContext http, DashboardSite site)
    {
        if (string.IsNullOrEmpty(path) || path == "index.html")
        {
            if (string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/'))
            {
                // Relative URLs in the page and Cognito's callback are written for /dashboard/.
                return TypedResults.Redirect($"{http.Request.PathBase}/dashboard/{http.Request.QueryString}", permanent: true);
            }

            if (!site.IsBuilt)
            {
                return TypedResults.Problem(
                    title: "Dashboard not built",
                    detail: "This build of MetricsEngine has no dashboard: ./run.sh builds it (or npm ci && npm run build in src/Dashboard).",
                    statusCode: StatusCodes.Status404NotFound);
            }

            path = "index.html";
        }

        var file = site.Files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null || !ContentTypes.TryGetContentType(path, out var contentType))
        {
            return TypedResults.NotFound();
        }

        // Vite names every asset after its content; everything else (index.html) must be asked again.
        http.Response.Headers.CacheControl = path.StartsWith("assets/", StringComparison.Ordinal) ? ImmutableAsset : "no-cache";
        return TypedResults.PhysicalFile(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: EntityTagOf(file));
    }

    /// <summary>The file's size and time, as ASP.NET Core's static files compute theirs.</summary>
    private static Microsoft.Net.Http.Headers.EntityTagHeaderValue EntityTagOf(IFileInfo file) =>
        new($"\"{(file.LastModified.ToFileTime() ^ file.Length).ToString("x", CultureInfo.InvariantCulture)}\"");

    /// <summary>Logs once at start-up what a user of /dashboard would otherwise find out by failing.</summary>
    private sealed partial class DashboardStartupReport(DashboardSite site, ILogger<DashboardStartupReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!site.IsBuilt)
            {
                NotBuilt(logger, site.FilesRoot);
            }
            else if (!site.SignInConfigured)
            {
                SignInNotConfigured(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard is not built (no index.html in {FilesRoot}): /dashboard/ answers 404. ./run.sh builds it.")]
        private static partial void NotBuilt(ILogger logger, string filesRoot);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard sign-in is not configured: set Dashboard__CognitoDomain and Dashboard__ClientId, or the dashboard cannot sign anyone in.")]
        private static partial void SignInNotConfigured(ILogger logger);
    }
}

/// <summary>What <c>/dashboard/config.json</c> tells the page (src/Dashboard/src/config.ts reads it).</summary>
internal sealed record DashboardConfigDocument(string AuthMode, string? CognitoDomain, string? ClientId, string Scopes, int PollSeconds);
