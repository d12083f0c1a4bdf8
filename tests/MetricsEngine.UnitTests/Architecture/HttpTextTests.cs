using System.Reflection;
using System.Text.RegularExpressions;

namespace MetricsEngine.UnitTests.Architecture;

/// <summary>
/// Core, Application and the error types speak of metrics, not of HTTP: none of their text names
/// an HTTP header or a route. Where an error concerns something the caller sent or can fetch over
/// HTTP, the exception carries the facts and Web words them (<c>ProblemExceptionHandler.DetailFor</c>).
/// </summary>
public sealed partial class HttpTextTests
{
    private static readonly Assembly Core = typeof(MetricsEngine.Core.Metrics.Metric).Assembly;
    private static readonly Assembly Application = typeof(MetricsEngine.Application.ApplicationAssembly).Assembly;
    private static readonly Assembly Crosscutting = typeof(MetricsEngine.Crosscutting.Errors.ErrorKind).Assembly;
    private static readonly Assembly Web = typeof(MetricsEngine.Web.Errors.ProblemExceptionHandler).Assembly;

    [GeneratedRegex(@"If-Match|If-None-Match|Idempotency-Key|Last-Event-ID|Retry-After|ETag|\b(GET|HEAD|POST|PUT|PATCH|DELETE) /")]
    private static partial Regex HttpTerms();

    [Test]
    public void Core_names_no_http_header_or_route() => ShouldNameNone(StringLiterals.In(Core));

    [Test]
    public void Application_names_no_http_header_or_route() => ShouldNameNone(StringLiterals.In(Application));

    [Test]
    public void The_error_types_name_no_http_header_or_route() =>
        ShouldNameNone(StringLiterals.In(Crosscutting).Where(t => t.Type.Namespace == "MetricsEngine.Crosscutting.Errors"));

    /// <summary>Guards the rules above against passing vacuously: the same scan does see such text, interpolated or not, where it belongs.</summary>
    [TestCase("which If-Match does not name")]
    [TestCase("; see GET /metrics/")]
    [TestCase("This Idempotency-Key was already used")]
    public void The_scan_finds_the_http_wording_in_web(string text) =>
        StringLiterals.In(Web).ShouldContain(t => t.Text.Contains(text, StringComparison.Ordinal) && HttpTerms().IsMatch(t.Text));

    private static void ShouldNameNone(IEnumerable<(Type Type, string Text)> literals)
    {
        var offending = literals.Where(t => HttpTerms().IsMatch(t.Text)).Select(t => $"{t.Type.FullName}: \"{t.Text}\"").Distinct();

        offending.ShouldBeEmpty("HTTP headers and routes are Web's words; let the exception carry the facts and word them in ProblemExceptionHandler.DetailFor");
    }
}
