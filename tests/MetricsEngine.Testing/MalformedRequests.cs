using System.Globalization;
using System.Text;

namespace MetricsEngine.Testing;

/// <summary>
/// Requests a careless or hostile client could send: wrong methods and paths, garbage in every
/// route and query value, odd headers, and JSON bodies broken in every way a parser meets (wrong
/// types, huge or deep values, NUL and lone surrogates, invalid UTF-8, truncation). Deterministic
/// for a seed, so a failure can be replayed. The API must answer each with a 4xx (or a 2xx when the
/// mutation happens to be valid), never a 5xx. Used by the test suite (a few hundred) and by the
/// reliability suite under bench/ (thousands, over real sockets).
/// </summary>
public sealed class MalformedRequests(int seed, IReadOnlyList<string> metricIds)
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"];

    private static readonly string[] Garbage =
    [
        "", " ", "%00", "%zz", "%", "..", "%2e%2e%2f", "null", "-1", "0", "2147483648", "99999999999999999999", "1e308", "NaN",
        "'; DROP TABLE metric_definitions; --", "<script>alert(1)</script>", "%F0%9F%92%A9", "%C3%28", "%ED%A0%80", "\u00e9",
        "00000000-0000-0000-0000-000000000000", "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a1", "{id}", "$(reboot)", "%0d%0aX-Injected:%201",
        "2025-02-30", "2025-13-01", "0000-01-01", "9999-12-31", "+002025-06-01", "2025-06-01T00:00:00+14:00", "36501", "-0", "0x10",
    ];

    private static readonly string[] Fields =
        ["title", "is_editable", "layouts", "query_generation_prompt", "query", "date", "obsolescence", "obsolescence_val", "parts_flagged", "alert_type", "alert_category"];

    private readonly Random _random = new(seed);

    public IEnumerable<HttpRequestMessage> Take(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    public HttpRequestMessage Next()
    {
        var method = _random.Next(4) == 0 ? Pick(Methods) : Pick(["GET", "POST", "PUT"]);
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Path() + Query(), UriKind.Relative));
        if (method is "POST" or "PUT" or "PATCH" || _random.Next(8) == 0)
        {
            request.Content = Body();
        }

        Headers(request);
        return request;
    }

    private string Path()
    {
        var id = _random.Next(3) == 0 ? Pick(Garbage) : Pick(metricIds);
        return _random.Next(12) switch
        {
            0 => "/metrics",
            1 => $"/metrics/{id}/definition",
            2 => $"/metrics/{id}/versions",
            3 => $"/metrics/{id}/versions/{Pick(Garbage)}/restore",
            4 => $"/metrics/{id}/metric-records",
            5 => "/imports/latest",
            6 => $"/{Pick(["health", "health/ready", "openapi/v1.json", "nope", "metrics//", "metrics/%2F", "METRICS"])}",
            7 => "/metrics/" + new string('a', _random.Next(100, 3000)),
            _ => $"/metrics/{id}",
        };
    }

    private string Query()
    {
        if (_random.Next(3) == 0)
        {
            return string.Empty;
        }

        var names = new[] { "start_date", "end_date", "day_range", "as_of", "page", "page_size", "startdate", "%00", "a[b]", "" };
        var parts = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => $"{Pick(names)}={Pick(Garbage)}");
        return "?" + string.Join(_random.Next(6) == 0 ? ";" : "&", parts);
    }

    private ByteArrayContent Body()
    {
        var json = Encoding.UTF8.GetBytes(Json());
        var bytes = _random.Next(10) switch
        {
            0 => [0xEF, 0xBB, 0xBF, .. json],
            1 => [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D],
            2 => json[.._random.Next(json.Length + 1)],
            3 => Encoding.UTF8.GetBytes(new string('[', _random.Next(100, 5000))),
            _ => Encoding.UTF8.GetBytes(Json()),
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", _random.Next(6) switch
        {
            0 => "text/plain",
            1 => "application/json; charset=" + Pick(["bogus", "utf-16", "latin1", "utf-8", "\"utf-8\""]),
            2 => Pick(["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;;", "*/*", "application/problem+json"]),
            _ => "application/json",
        });
        return content;
    }

    private string Json() => _random.Next(6) switch
    {
        0 => Pick(["null", "[]", "42", "\"text\"", "true", "{}", "", "{", "}", "{\"a\":1,}", "{'a':1}", "[1,2", "{\"x\":1}{\"y\":2}"]),
        _ => "{" + string.Join(",", Enumerable.Range(0, _random.Next(1, 6)).Select(_ => $"\"{Pick(Fields)}\":{Value(0)}")) + "}",
    };

    private string Value(int depth) => _random.Next(depth > 3 ? 9 : 12) switch
    {
        0 => "null",
        1 => Pick(["true", "false"]),
        2 => Pick(["0", "-1", "1.5", "2147483648", "-2147483649", "1e400", "-0", "99999999999999999999999999999999", "0.0000000000000000000000001"]),
        3 => Quote(Pick(Garbage)),
        4 => Quote(new string('x', _random.Next(1000, 200_000))),
        5 => Quote(Pick(["\\u0000", "a\\u0000b", "\\ud800", "\\udc00x", "\\u202e", "\\n\\r\\t", "\\\\", "\\\""])),
        6 => Quote(Pick(["SELECT 1", "SELECT * FROM metrics", "DELETE FROM metrics", "SELECT 1; SELECT 2", "SELECT pg_read_file('/etc/passwd')", "WITH x AS (DELETE FROM metric_records RETURNING 1) SELECT 1", "SELECT", "-- only a comment"])),
        7 => Quote(Pick(["2025-06-01", "2025-06-01T10:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-06-01T24:00:00", "yesterday"])),
        8 => "{" + $"\"breakpoint\":{Value(depth + 1)},\"x\":{Value(depth + 1)},\"y\":{Value(depth + 1)},\"w\":{Value(depth + 1)},\"h\":{Value(depth + 1)}" + "}",
        9 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Value(depth + 1))) + "]",
        10 => "[" + string.Join(",", Enumerable.Repeat("{\"breakpoint\":\"lg\",\"x\":0,\"y\":0,\"w\":1,\"h\":1}", _random.Next(1, 3000))) + "]",
        _ => "{\"nested\":" + Value(depth + 1) + "}",
    };

    private void Headers(HttpRequestMessage request)
    {
        if (_random.Next(3) == 0)
        {
            request.Headers.TryAddWithoutValidation(
                Pick(["If-Match", "If-None-Match", "Idempotency-Key", "traceparent", "Accept", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Origin", "Range"]),
                Pick(["", "*", "\"x\"", "W/\"1\"", "garbage", "00-zz-zz-01", "00-00000000000000000000000000000000-0000000000000000-00", new string('k', 300),
                      "text/html", "1.2.3.4, 5.6.7.8", "evil.example.net", "gopher", "bytes=0-1", "\u00e9t\u00e9"]));
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A replayable description of a request, for failure messages.</summary>
    public static async Task<string> DescribeAsync(HttpRequestMessage request)
    {
        var body = request.Content is null ? string.Empty : Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync());
        return string.Create(CultureInfo.InvariantCulture,
            $"{request.Method} {request.RequestUri} {string.Join("; ", request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))} {body[..Math.Min(body.Length, 300)]}");
    }
}
