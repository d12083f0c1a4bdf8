using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Logging;
using MetricsEngine.Web.Endpoints;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// Logs "Endpoint called" once per API call, inside a scope that carries the operation and its
/// parameters (route values and known query parameters), so every line logged while the call is
/// handled can be traced back to what was asked. Bodies and headers are never logged.
/// </summary>
internal sealed class EndpointLoggingFilter(ILogger<EndpointLoggingFilter> logger, ICurrentUser currentUser) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var endpoint = http.GetEndpoint();
        var scope = LogScopes.Of(
            (LogScopes.Operation, endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint?.DisplayName),
            (LogScopes.User, currentUser.Id));
        foreach (var (key, value) in http.Request.RouteValues)
        {
            scope[key] = value?.ToString();
        }

        var allowed = endpoint?.Metadata.GetMetadata<AllowedQueryParameters>()?.Names ?? [];
        foreach (var name in allowed)
        {
            if (http.Request.Query.TryGetValue(name, out var value))
            {
                scope[name] = value.ToString();
            }
        }

        using (logger.BeginScope(scope))
        {
            logger.LogInformation("Endpoint called");
            return await next(context);
        }
    }
}
