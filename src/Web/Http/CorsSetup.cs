using Microsoft.Net.Http.Headers;

namespace MetricsEngine.Web.Http;

/// <summary>
/// Browsers on other origins (a dashboard served from elsewhere) may call the API only from the
/// origins listed in <c>Cors:AllowedOrigins</c>; none by default. Allowed: the request headers
/// this API reads, and the response headers a client needs to read back.
/// </summary>
internal static class CorsSetup
{
    public const string SectionName = "Cors:AllowedOrigins";

    public static readonly string[] AllowedHeaders =
        [HeaderNames.Authorization, HeaderNames.ContentType, HeaderNames.IfMatch, HeaderNames.IfNoneMatch, "Idempotency-Key", "Last-Event-ID", "traceparent"];

    public static readonly string[] ExposedHeaders = [HeaderNames.ETag, HeaderNames.Location, HeaderNames.RetryAfter];

    public static string[] AllowedOrigins(IConfiguration configuration)
    {
        var origins = configuration.GetSection(SectionName).Get<string[]>() ?? [];
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                throw new InvalidOperationException(
                    $"Cors__AllowedOrigins holds '{origin}', which is not an origin: give scheme, host and port only, such as https://dashboard.example.com.");
            }
        }

        return [.. origins.Select(o => o.TrimEnd('/'))];
    }

    // Read when first used, so the configuration in effect decides (a test host's included).
    public static IServiceCollection AddOriginPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(AllowedOrigins(configuration))
            .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
            .WithHeaders(AllowedHeaders)
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }
}
