using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetricsEngine.Testing;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>
/// One scenario's exchange with the API: which host it talks to, who is calling, what came back
/// last, and the names the scenario gave to metrics. Set-up steps (Given) act as an
/// administrator whoever the caller is, so a scenario about a reader can still arrange its data.
/// </summary>
public sealed partial class Conversation(FeatureApi featureApi) : IAsyncDisposable
{
    private readonly Dictionary<string, Guid> _metrics = new(StringComparer.Ordinal);
    private MetricsApi? _api;
    private MetricsApi? _ownApi;
    private Func<TestCognito, string?> _caller = Tokens.Administrator;
    private HttpClient? _callerClient;
    private HttpClient? _adminClient;
    private Answer? _last;

    /// <summary>The last answer; a Then step without a When before it is a mistake in the scenario.</summary>
    public Answer Last => _last ?? throw new InvalidOperationException("No request was sent yet in this scenario.");

    /// <summary>The ETag sent in the last If-None-Match or If-Match, to compare the answer's with.</summary>
    public string? SentETag { get; private set; }

    /// <summary>The token the caller's requests carry, if any.</summary>
    public string? CallerToken { get; private set; }

    /// <summary>The ETag of the last answer that carried one.</summary>
    public string? LastETag { get; private set; }

    public async Task<MetricsApi> ApiAsync()
    {
        if (_api is null)
        {
            _api = await featureApi.GetAsync();

            // The feature's host logs every scenario's calls; a scenario looks only at its own.
            _api.Logs.Clear();
        }

        return _api;
    }

    /// <summary>Talks to a host of this scenario's own from now on, and stops it when the scenario ends.</summary>
    public void UseOwnApi(MetricsApi api)
    {
        _ownApi = api;
        _api = api;
        DisposeClients();
    }

    public void CallAs(Func<TestCognito, string?> token)
    {
        _caller = token;
        _callerClient?.Dispose();
        _callerClient = null;
    }

    public void Remember(string name, Guid id) => _metrics[name] = id;

    /// <summary>
    /// A metric's id: one the scenario named when it created it, or else the live metric with
    /// that title (imported metrics are known by the title their SQL comment gives them).
    /// </summary>
    public async Task<Guid> MetricIdAsync(string name)
    {
        if (_metrics.TryGetValue(name, out var id))
        {
            return id;
        }

        var page = await (await AdminClientAsync()).GetAsync("/metrics?page_size=200");
        var items = JsonNode.Parse(await page.Content.ReadAsStringAsync())!["items"]!.AsArray();
        var found = items.Where(i => i!["title"]!.GetValue<string>() == name).Select(i => i!["id"]!.GetValue<Guid>()).ToList();
        return found.Count == 1
            ? found[0]
            : throw new InvalidOperationException($"The scenario knows no metric called \"{name}\" ({found.Count} live metrics have that title).");
    }

    /// <summary>A path in which {name} stands for the id of the metric called name.</summary>
    public async Task<string> PathAsync(string template)
    {
        var path = new StringBuilder();
        var last = 0;
        foreach (Match match in NamedMetric().Matches(template))
        {
            path.Append(template, last, match.Index - last).Append(await MetricIdAsync(match.Groups[1].Value));
            last = match.Index + match.Length;
        }

        return path.Append(template, last, template.Length - last).ToString();
    }

    /// <summary>
    /// An expected value in which {name} stands for the id of a metric this scenario created.
    /// Other braces are left alone, so JSON in a table cell stays JSON.
    /// </summary>
    public string Expected(string text) =>
        NamedMetric().Replace(text, m => _metrics.TryGetValue(m.Groups[1].Value, out var id) ? id.ToString() : m.Value);

    /// <summary>A client that calls as the current caller (for requests a step reads itself, such as an event stream).</summary>
    public async Task<HttpClient> CallerClientAsync()
    {
        if (_callerClient is null)
        {
            var api = await ApiAsync();
            CallerToken = _caller(api.Cognito);
            _callerClient = api.CreateClient(CallerToken);
        }

        return _callerClient;
    }

    /// <summary>Sends a request as the current caller and keeps the answer.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string pathTemplate, string? json = null, IReadOnlyList<(string Name, string Value)>? headers = null)
    {
        await CallerClientAsync();
        SentETag = headers?.LastOrDefault(h => h.Name is "If-None-Match" or "If-Match").Value ?? SentETag;
        _last = await SendAsAsync(_callerClient!, method, pathTemplate, json, headers);
        LastETag = _last.Headers.ETag?.ToString() ?? LastETag;
        return _last;
    }

    /// <summary>Sends a set-up request as an administrator; it must succeed with <paramref name="expected"/>.</summary>
    public async Task<Answer> ArrangeAsync(HttpMethod method, string pathTemplate, string? json, HttpStatusCode expected)
    {
        var answer = await SendAsAsync(await AdminClientAsync(), method, pathTemplate, json, headers: null);
        return answer.Status == expected
            ? answer
            : throw new InvalidOperationException($"Set-up {method} {pathTemplate} expected {(int)expected} but got {(int)answer.Status}: {answer.Body}");
    }

    public async ValueTask DisposeAsync()
    {
        DisposeClients();
        if (_ownApi is not null)
        {
            await _ownApi.DisposeAsync();
        }
    }

    private async Task<Answer> SendAsAsync(HttpClient client, HttpMethod method, string pathTemplate, string? json, IReadOnlyList<(string Name, string Value)>? headers)
    {
        using var request = new HttpRequestMessage(method, await PathAsync(pathTemplate));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpClient> AdminClientAsync() => _adminClient ??= (await ApiAsync()).CreateAuthorizedClient();

    private void DisposeClients()
    {
        _callerClient?.Dispose();
        _callerClient = null;
        _adminClient?.Dispose();
        _adminClient = null;
    }

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex NamedMetric();
}

/// <summary>What the API answered: status, headers and the body as text (parsed on demand).</summary>
public sealed record Answer(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, string Body)
{
    public JsonNode Json => Body.Length == 0
        ? throw new InvalidOperationException($"The answer ({(int)Status}) has no body.")
        : JsonNode.Parse(Body) ?? throw new InvalidOperationException("The answer's body is JSON null.");

    public string? MediaType => ContentHeaders.ContentType?.MediaType;
}
