namespace MetricsEngine.Testing.Contract;

/// <summary>
/// Sits in every test client of <see cref="MetricsApi"/>: each answer to a documented operation is
/// checked against the document the same host serves, and an answer the document does not
/// describe fails the request, and so the test, naming the request, the status and every violation.
/// Event streams are checked for their media type only and are never buffered.
/// </summary>
public sealed class ContractCheckingHandler(Func<CancellationToken, Task<OpenApiContract>> contract) : DelegatingHandler
{
    /// <summary>
    /// A client of an API running as a process of its own (run.sh, the command line), checked like
    /// the test host's clients against the document that same process serves.
    /// </summary>
    public static HttpClient ClientOf(Uri server)
    {
        var document = new Lazy<Task<OpenApiContract>>(async () =>
        {
            using var plain = new HttpClient { BaseAddress = server };
            return OpenApiContract.For(await plain.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        });
        return new HttpClient(new ContractCheckingHandler(_ => document.Value) { InnerHandler = new HttpClientHandler() }) { BaseAddress = server };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        byte[]? body = null;
        if (mediaType != "text/event-stream")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        var uri = request.RequestUri!;
        var exchange = new Exchange(
            request.Method.Method,
            uri.AbsolutePath,
            QueryOf(uri),
            request.Content?.Headers.ContentType?.MediaType,
            requestBody,
            (int)response.StatusCode,
            Headers(response),
            mediaType,
            body);

        var violations = (await contract(cancellationToken)).Check(exchange);
        if (violations.Count > 0)
        {
            throw new ContractViolationException(exchange, violations, body);
        }

        return response;
    }

    private static List<KeyValuePair<string, string>> QueryOf(Uri uri)
    {
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        return [.. query.AllKeys.OfType<string>().SelectMany(key => query.GetValues(key)!.Select(value => KeyValuePair.Create(key, value)))];
    }

    // As sent: the parsed views re-format some values (Cache-Control comes back as "max-age=29, private").
    private static Dictionary<string, string> Headers(HttpResponseMessage response) =>
        response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
}

/// <summary>The API answered something its OpenAPI document does not describe.</summary>
public sealed class ContractViolationException(Exchange exchange, IReadOnlyList<string> violations, byte[]? body)
    : Exception(
        $"{exchange}, which the OpenAPI document (/openapi/v1.json) does not describe:{Environment.NewLine}" +
        string.Join(Environment.NewLine, violations.Select(v => $"  - {v}")) +
        (body is { Length: > 0 } ? $"{Environment.NewLine}  body: {Truncate(System.Text.Encoding.UTF8.GetString(body))}" : string.Empty))
{
    public Exchange Exchange { get; } = exchange;
    public IReadOnlyList<string> Violations { get; } = violations;

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
