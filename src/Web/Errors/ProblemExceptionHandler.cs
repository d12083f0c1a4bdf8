using System.Text.Json;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Web.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MetricsEngine.Web.Errors;

/// <summary>
/// The one place exceptions become HTTP responses: every error is RFC 9457 problem+json with a
/// status from its <see cref="ErrorKind"/> (docs/product.md#errors). Unexpected exceptions are logged with their stack
/// trace and answered with a 500 that reveals nothing but the trace id; problems answered on purpose
/// are not logged here (the request's completion line carries their status), except 502/503/504,
/// whose cause an operator needs (a Warning with the reason, never a stack trace).
/// </summary>
internal sealed class ProblemExceptionHandler(
    IProblemDetailsService problemDetails,
    IEnumerable<IExceptionTranslator> translators,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away, and whatever failed after that (a cancelled query, a broken
            // read) failed because of it: there is nobody to answer and nothing of ours to fix.
            logger.LogDebug("{Method} {Path} was abandoned by the client: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
            return true;
        }

        exception = translators.Translate(exception);

        var problem = exception switch
        {
            RequestValidationException invalid => new ValidationProblemDetails(invalid.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = invalid.Title,
                Detail = invalid.Message,
            },
            MetricsEngineException known => new ProblemDetails
            {
                Status = StatusFor(known.Kind),
                Title = known.Title,
                Detail = DetailFor(known),
            },
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception while processing {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Unexpected error",
                Detail = "The server could not complete the request. Quote the traceId when reporting this.",
            };
        }

        if (exception is MetricsEngineException { Kind: ErrorKind.DatabaseUnavailable or ErrorKind.QueryTimeout or ErrorKind.GeneratorFailed or ErrorKind.GeneratorTimeout } serverSide)
        {
            logger.LogWarning("{Method} {Path} answered {Status}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, problem.Status, serverSide.InnerException?.Message ?? serverSide.Message);
        }

        if ((exception as MetricsEngineException)?.RetryAfter is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (problem.Status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        // The exception handler cleared the response's headers before calling this.
        SecurityHeaders.Apply(httpContext.Response);
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.QueryRejected => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.QueryTimeout => StatusCodes.Status504GatewayTimeout,
        ErrorKind.DatabaseUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Overloaded => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.GeneratorFailed => StatusCodes.Status502BadGateway,
        ErrorKind.GeneratorTimeout => StatusCodes.Status504GatewayTimeout,
        ErrorKind.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The problem's <c>detail</c>: the error's message, or, where the caller acts through HTTP (a
    /// header it sent, a route to look at), the same facts in those terms, which only this layer knows.
    /// </summary>
    internal static string DetailFor(MetricsEngineException known) => known switch
    {
        UnexpectedMetricVersionException stale =>
            $"Metric {stale.MetricId} is at version {stale.CurrentVersion}, which If-Match does not name; fetch its definition again and retry.",
        MetricVersionNotFoundException missing =>
            $"Metric {missing.MetricId} has no version {missing.Version}; see GET /metrics/{missing.MetricId}/versions.",
        IdempotencyKeyReusedException =>
            "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
        _ => known.Message,
    };

    /// <summary>Binding failures: malformed JSON names the field, an oversized body says the limit.</summary>
    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type",
                Detail = exception.Message,
            };
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = exception.Message,
            };
        }

        if (exception.InnerException is JsonException json)
        {
            var (field, problem) = JsonErrors.Describe(json);
            return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [problem] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed request body",
                Detail = $"{field}: {problem}",
            };
        }

        // Every 400 names what is at fault in `errors`, as the document promises (docs/architecture.md).
        return exception.StatusCode == StatusCodes.Status400BadRequest
            ? new ValidationProblemDetails(new Dictionary<string, string[]> { ["request"] = [exception.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed request",
                Detail = exception.Message,
            }
            : new ProblemDetails
            {
                Status = exception.StatusCode,
                Title = "Malformed request",
                Detail = exception.Message,
            };
    }
}
