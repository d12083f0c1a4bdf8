using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using MetricsEngine.Web.Serialization;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Errors;

/// <summary>
/// Writes RFC 9457 bodies with the member names the standard and docs/product.md#errors use (<c>traceId</c>,
/// not <c>trace_id</c>): the API's snake_case policy applies to resources, not to problem
/// documents. Fills <c>type</c> and <c>title</c> from the status when a producer left them out.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DictionaryKeyPolicy = null,
        Encoder = ApiJson.Encoder,
    };

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Type ??= TypeFor(problem.Status.Value);
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", TraceId(http));
        options.Value.CustomizeProblemDetails?.Invoke(context);

        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), SerializerOptions, "application/problem+json", http.RequestAborted));
    }

    /// <summary>
    /// The W3C trace id of the request (the caller's own when it sent a <c>traceparent</c>), the
    /// same id every log line of the request carries, so a problem can be found in the logs.
    /// </summary>
    public static string TraceId(HttpContext http) =>
        Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C
            ? activity.TraceId.ToHexString()
            : http.TraceIdentifier;

    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        502 => "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        504 => "https://tools.ietf.org/html/rfc9110#section-15.6.5",
        _ => "about:blank",
    };
}
