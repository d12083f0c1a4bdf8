using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MetricsEngine.Testing;

// Reliability suite helpers (bench/reliability.sh):
//   fuzz BASE_URL TOKEN COUNT METRIC_ID...   malformed requests over sockets (and raw malformed request lines);
//                                            prints a status histogram; exit 1 on any 5xx
//   writer BASE_URL TOKEN METRIC_ID SECONDS OUT   POSTs records with an Idempotency-Key each, retrying the same key until
//                                            acknowledged; writes acknowledged ids to OUT and a per-second status log to OUT.log
return args switch
{
    ["fuzz", var baseUrl, var token, var count, .. var metrics] => await Fuzz(baseUrl, token, int.Parse(count, CultureInfo.InvariantCulture), metrics),
    ["writer", var baseUrl, var token, var metric, var seconds, var output] =>
        await Writer(baseUrl, token, metric, TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)), output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Reliability fuzz BASE_URL TOKEN COUNT METRIC_ID... | writer BASE_URL TOKEN METRIC_ID SECONDS OUT");
    return 2;
}

static async Task<int> Fuzz(string baseUrl, string token, int count, string[] metrics)
{
    using var authorized = Client(baseUrl, token);
    using var anonymous = Client(baseUrl, null);
    var statuses = new SortedDictionary<int, int>();
    var failures = new List<string>();
    var generator = new MalformedRequests(20261201, metrics);
    var sent = 0;
    foreach (var request in generator.Take(count))
    {
        var described = await MalformedRequests.DescribeAsync(request);
        int status;
        try
        {
            using var response = await (sent++ % 5 == 0 ? anonymous : authorized).SendAsync(request);
            status = (int)response.StatusCode;
            if (status >= 400 && request.Method != HttpMethod.Head && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} without problem+json: {described}");
            }
        }
        catch (HttpRequestException exception)
        {
            status = 0;
            failures.Add($"no answer ({exception.Message}): {described}");
        }

        statuses[status] = statuses.GetValueOrDefault(status) + 1;
        if (status >= 500)
        {
            failures.Add($"{status}: {described}");
        }
    }

    // What never reaches the application: Kestrel answers these itself (nginx does in production).
    var uri = new Uri(baseUrl);
    foreach (var raw in RawRequests())
    {
        var status = await SendRawAsync(uri.Host, uri.Port, raw);
        statuses[status] = statuses.GetValueOrDefault(status) + 1;
        sent++;
        if (status >= 500)
        {
            failures.Add($"{status}: raw {raw[..Math.Min(60, raw.Length)].ReplaceLineEndings(" ")}");
        }
    }

    var fivexx = statuses.Where(s => s.Key >= 500).Sum(s => s.Value);
    Console.WriteLine($"sent {sent}; statuses {string.Join(", ", statuses.Select(s => $"{(s.Key == 0 ? "none" : s.Key.ToString(CultureInfo.InvariantCulture))}: {s.Value}"))}; 5xx {fivexx}");
    foreach (var failure in failures.Take(20))
    {
        Console.Error.WriteLine(failure);
    }

    return fivexx == 0 ? 0 : 1;
}

static IEnumerable<string> RawRequests()
{
    string[] lines =
    [
        "GET /metrics HTTP/1.1\r\n", "GET\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "GARBAGE\r\n\r\n", "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        $"GET /{new string('a', 70_000)} HTTP/1.1\r\nHost: x\r\n\r\n", $"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {new string('b', 40_000)}\r\n\r\n",
        "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
        "POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n", "\u0000\u0001\u0002\r\n\r\n",
    ];
    for (var i = 0; i < 5; i++)
    {
        foreach (var line in lines)
        {
            yield return line;
        }
    }
}

static async Task<int> SendRawAsync(string host, int port, string raw)
{
    try
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(host, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        socket.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var status = await reader.ReadLineAsync(timeout.Token);
        return status?.Split(' ') is [_, var code, ..] && int.TryParse(code, out var parsed) ? parsed : 0;
    }
    catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
    {
        return 0;
    }
}

static async Task<int> Writer(string baseUrl, string token, string metric, TimeSpan duration, string output)
{
    using var client = Client(baseUrl, token);
    client.Timeout = TimeSpan.FromSeconds(15);
    var acknowledged = new ConcurrentQueue<string>();
    var perSecond = new ConcurrentDictionary<(long Second, int Status), int>();
    var clock = Stopwatch.StartNew();
    var attempts = 0L;

    async Task WriteLoop(int worker)
    {
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var key = $"w{worker}-{n}-{Guid.NewGuid():N}";
            var body = $$"""{ "parts_flagged": {{n % 13}}, "alert_type": "reliability" }""";
            while (true)
            {
                var status = 0;
                string? id = null;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/metrics/{metric}/metric-records") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("Idempotency-Key", key);
                    using var response = await client.SendAsync(request);
                    status = (int)response.StatusCode;
                    if (status == 201)
                    {
                        id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                Interlocked.Increment(ref attempts);
                perSecond.AddOrUpdate(((long)clock.Elapsed.TotalSeconds, status), 1, (_, c) => c + 1);
                if (id is not null)
                {
                    acknowledged.Enqueue(id);
                    break;
                }

                // Not acknowledged: the same key again until it is (a retry cannot store it twice).
                if (clock.Elapsed > duration + TimeSpan.FromSeconds(60))
                {
                    break;
                }

                await Task.Delay(200);
            }
        }
    }

    await Task.WhenAll(Enumerable.Range(0, 8).Select(WriteLoop));
    await File.WriteAllLinesAsync(output, acknowledged);
    await File.WriteAllLinesAsync(output + ".log", perSecond.OrderBy(p => p.Key.Second).ThenBy(p => p.Key.Status)
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key.Second} {p.Key.Status} {p.Value}")));
    Console.WriteLine($"acknowledged {acknowledged.Count}; attempts {attempts}");
    return 0;
}

static HttpClient Client(string baseUrl, string? token)
{
    var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { BaseAddress = new Uri(baseUrl) };
    if (token is not null)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    return client;
}
