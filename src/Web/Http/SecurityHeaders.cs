namespace MetricsEngine.Web.Http;

/// <summary>
/// Headers every answer carries, whoever writes it (an endpoint, the rate limiter, a 404, the
/// exception handler): no MIME sniffing, never framed, no referrer. Set as the request comes in;
/// the exception handler clears headers before writing a problem, so it sets them again
/// (<see cref="Apply"/>). The <c>Server</c> header is switched off in Kestrel's options.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        Apply(context.Response);
        return next(context);
    }

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
