using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using MetricsEngine.Application.Common.Interfaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.RateLimiting;

/// <summary>Each caller's request budget (configuration section <c>RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second for one caller.</summary>
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests one caller may send at once (a dashboard loading all its tiles).</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 200;
}

/// <summary>
/// A token bucket per caller, so one runaway client cannot starve the others: the caller is the
/// validated token's user or app client, or the client address when there is no valid token
/// (so a flood of bad tokens is limited too). Health probes are never limited. Over budget is 429
/// problem+json with <c>Retry-After</c>. Runs after authentication, which names the caller.
/// </summary>
internal static class CallerRateLimiting
{
    public static IServiceCollection AddCallerRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => RejectAsync(context, limits.Value);
            if (limits.Value.Enabled)
            {
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits.Value));
            }
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions limits)
    {
        if (http.Request.Path.StartsWithSegments("/health"))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var caller = http.RequestServices.GetRequiredService<ICurrentUser>().CallerKey;
        return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, RateLimitOptions limits)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"A caller may send {limits.PermitsPerSecond} requests a second, in bursts of up to {limits.Burst}; retry after {seconds} s.",
            },
        });
    }
}
