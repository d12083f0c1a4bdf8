using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Web.Endpoints;

namespace MetricsEngine.Web.Logging;

/// <summary>Marks the endpoints whose calls are logged as "Endpoint called" (the API's, not the probes').</summary>
internal sealed class LoggedEndpoint
{
    public static readonly LoggedEndpoint Instance = new();

    private LoggedEndpoint()
    {
    }
}

/// <summary>
/// Runs once the endpoint is chosen and the caller authorised, before the handler:
/// <list type="bullet">
/// <item>refuses query-string parameters the endpoint does not know (400), so that a typo such as
/// <c>startdate=</c> is reported instead of silently returning the unfiltered default, and
/// parameters given more than once, which have no single meaning;</item>
/// <item>logs "Endpoint called" once per API call, inside a scope that carries the operation, the
/// caller and its parameters (route values and known query parameters), so every line logged while
/// the call is handled can be traced back to what was asked. Bodies and headers are never logged.</item>
/// </list>
/// A middleware reading endpoint metadata rather than endpoint filters: filters make every handler
/// box its arguments into an invocation context, on every request.
/// </summary>
internal sealed partial class EndpointCalls(RequestDelegate next, ILogger<EndpointCalls> logger)
{
    public Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is null)
        {
            return next(http);
        }

        var allowed = endpoint.Metadata.GetMetadata<AllowedQueryParameters>();
        if (allowed is not null && http.Request.QueryString.HasValue)
        {
            QueryParameterRules.Check(http.Request.Query, allowed.Names, allowed.Repeatable);
        }

        return endpoint.Metadata.GetMetadata<LoggedEndpoint>() is null ? next(http) : LoggedAsync(http, endpoint, allowed);
    }

    private async Task LoggedAsync(HttpContext http, Endpoint endpoint, AllowedQueryParameters? allowed)
    {
        var scope = LogScopes.Of(
            (LogScopes.Operation, endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName),
            (LogScopes.User, http.RequestServices.GetRequiredService<ICurrentUser>().Id));
        foreach (var (key, value) in http.Request.RouteValues)
        {
            scope[key] = value?.ToString();
        }

        if (allowed is not null && http.Request.QueryString.HasValue)
        {
            foreach (var name in allowed.Names)
            {
                if (http.Request.Query.TryGetValue(name, out var value))
                {
                    scope[name] = value.ToString();
                }
            }
        }

        using (logger.BeginScope(scope))
        {
            EndpointCalled(logger);
            await next(http);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint called")]
    private static partial void EndpointCalled(ILogger logger);
}
