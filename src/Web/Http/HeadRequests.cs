using Microsoft.AspNetCore.Http.Metadata;

namespace MetricsEngine.Web.Http;

/// <summary>
/// HEAD is answered wherever GET is (RFC 9110 §9.3.2), except on event streams: the same handler
/// runs and the server sends the headers without the body. The OpenAPI document lists the GET operation only
/// (<see cref="IsDocumented"/>), since HEAD is implied by it.
/// </summary>
internal static class HeadRequests
{
    private const string EventStream = "text/event-stream";

    public static TBuilder AnswerHeadWhereGet<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            // An event stream's answer is the stream itself: a HEAD would open one to send no event.
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
                && !endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(p => p.ContentTypes.Contains(EventStream, StringComparer.OrdinalIgnoreCase))
                && methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
                && !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
            }
        });
        return builder;
    }

    public static bool IsDocumented(string? method) => !HttpMethods.IsHead(method ?? string.Empty);
}
