using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// Live-metrics load generator (bench/live.sh):
//   LiveLoad API_URL API_PID KEY_PEM ISSUER SUBSCRIBERS KEYS SECONDS WARMUP_SECONDS
// Creates KEYS counting metrics, opens SUBSCRIBERS event streams spread evenly over them (20 per
// caller, the default per-caller limit, each caller its own RS256 token), measures the API's
// resident memory before and after, then posts one record per key per second for WARMUP_SECONDS
// and then SECONDS more, and times each change of the second phase from the moment its POST is
// sent (the commit happens inside that request) to the event carrying it at every subscriber.
// The warm-up is what the HTTP benchmarks' warm-up is: the first changes after the streams open
// run the broadcast path for the first time, while the JIT compiles it and the thread pool grows
// to the load, and their latency says nothing about an instance that has been serving for a
// while; it is reported on its own (warmup_p99_ms) rather than hidden. Prints one line of
// key=value figures.
if (args.Length != 8)
{
    Console.Error.WriteLine("usage: LiveLoad API_URL API_PID KEY_PEM ISSUER SUBSCRIBERS KEYS SECONDS WARMUP_SECONDS");
    return 2;
}

var api = new Uri(args[0]);
var apiPid = int.Parse(args[1], CultureInfo.InvariantCulture);
using var rsa = RSA.Create();
rsa.ImportFromPem(File.ReadAllText(args[2]));
var issuer = args[3];
var subscribers = int.Parse(args[4], CultureInfo.InvariantCulture);
var keys = int.Parse(args[5], CultureInfo.InvariantCulture);
var seconds = int.Parse(args[6], CultureInfo.InvariantCulture);
var warmup = int.Parse(args[7], CultureInfo.InvariantCulture);
const int PerCaller = 20;

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ConnectTimeout = TimeSpan.FromSeconds(30),
})
{ BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };
var writer = Token("bench-writer", "api/backend_access");

// ---- metrics
var metrics = new Guid[keys];
for (var k = 0; k < keys; k++)
{
    using var create = new HttpRequestMessage(HttpMethod.Post, "/metrics")
    {
        Content = new StringContent(
            $$"""{ "title": "Live {{k}} {{Guid.NewGuid():N}}", "is_editable": true, "layouts": [], "query_generation_prompt": "count of alerts in June 2025" }""",
            Encoding.UTF8, "application/json"),
    };
    create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", writer);
    using var created = await http.SendAsync(create);
    created.EnsureSuccessStatusCode();
    metrics[k] = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
}

// ---- subscribers
var rssBefore = Rss(apiPid);
var sent = new long[keys][];
for (var k = 0; k < keys; k++)
{
    sent[k] = new long[warmup + seconds + 2];
}

var latencies = new List<double>[subscribers];
var warmupLatencies = new List<double>[subscribers];
var firstEvents = new TaskCompletionSource[subscribers];
using var stop = new CancellationTokenSource();
var readers = new List<Task>(subscribers);
var opened = 0;
var refused = 0;
var tokens = new Dictionary<int, string>();
var opening = Stopwatch.StartNew();
for (var i = 0; i < subscribers; i++)
{
    var caller = i / PerCaller;
    if (!tokens.TryGetValue(caller, out var token))
    {
        token = tokens[caller] = Token($"bench-reader-{caller}", "api/backend_access");
    }

    latencies[i] = [];
    warmupLatencies[i] = [];
    firstEvents[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var key = i % keys;
    var request = new HttpRequestMessage(HttpMethod.Get, $"/metrics/{metrics[key]}/events");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    HttpResponseMessage response;
    try
    {
        response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
    catch (HttpRequestException e)
    {
        Console.Error.WriteLine($"stream {i} could not connect: {e.Message}");
        refused++;
        break;
    }

    if (response.StatusCode != HttpStatusCode.OK)
    {
        Console.Error.WriteLine($"stream {i} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        refused++;
        response.Dispose();
        break;
    }

    opened++;
    readers.Add(ReadAsync(i, key, response, stop.Token));
}

await Task.WhenAll(firstEvents.Take(opened).Select(f => f.Task)).WaitAsync(TimeSpan.FromMinutes(5));
var openSeconds = opening.Elapsed.TotalSeconds;
GC.Collect();
await Task.Delay(2_000);
var rssAfter = Rss(apiPid);

// ---- changes: one record per key per second, each key's writes in order (count n is its n-th)
// CPU seconds of both processes over the measured phase, so the load generator's share of the
// machine (and so of the latency tail) is reported beside the API's rather than hidden in it.
var clock = Stopwatch.StartNew();
var measuredCpu = Task.Delay(TimeSpan.FromSeconds(warmup)).ContinueWith(
    _ => (Api: CpuSeconds(apiPid), Load: CpuSeconds(Environment.ProcessId), At: clock.Elapsed), TaskScheduler.Default);
var failedPosts = 0;
var posts = Enumerable.Range(0, keys).Select(async k =>
{
    var committed = 0;
    for (var second = 1; second <= warmup + seconds; second++)
    {
        // Spread the keys' writes over the second rather than all at its start.
        var wait = TimeSpan.FromSeconds(second - 1) + TimeSpan.FromMilliseconds(1000.0 * k / keys) - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        if (await PostAsync(k, committed + 1))
        {
            committed++;
        }
        else
        {
            Interlocked.Increment(ref failedPosts);
        }
    }
}).ToList();
await Task.WhenAll(posts);
await Task.Delay(TimeSpan.FromSeconds(3)); // the last events' delivery
var (apiCpuBefore, loadCpuBefore, measuredFrom) = await measuredCpu;
var phaseSeconds = (clock.Elapsed - measuredFrom).TotalSeconds;
var apiCores = (CpuSeconds(apiPid) - apiCpuBefore) / phaseSeconds;
var loadCores = (CpuSeconds(Environment.ProcessId) - loadCpuBefore) / phaseSeconds;
await stop.CancelAsync();
await Task.WhenAll(readers).ContinueWith(_ => { }, TaskScheduler.Default);

var all = latencies.Take(opened).SelectMany(l => l).OrderBy(x => x).ToArray();
var warming = warmupLatencies.Take(opened).SelectMany(l => l).OrderBy(x => x).ToArray();
var expected = (long)opened * seconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"subscribers={opened} refused={refused} keys={keys} seconds={seconds} warmup_seconds={warmup} open_seconds={openSeconds:F1} " +
    $"rss_before_mb={rssBefore / 1048576.0:F1} rss_after_mb={rssAfter / 1048576.0:F1} " +
    $"kb_per_stream={(rssAfter - rssBefore) / 1024.0 / Math.Max(1, opened):F1} " +
    $"api_cores={apiCores:F2} load_cores={loadCores:F2} cores={Environment.ProcessorCount} " +
    $"failed_posts={failedPosts} events={all.Length} changes_expected={expected} p50_ms={Percentile(all, 0.50):F1} p99_ms={Percentile(all, 0.99):F1} max_ms={(all.Length == 0 ? 0 : all[^1]):F1} " +
    $"warmup_p50_ms={Percentile(warming, 0.50):F1} warmup_p99_ms={Percentile(warming, 0.99):F1}"));
return 0;

async Task<bool> PostAsync(int key, int number)
{
    using var post = new HttpRequestMessage(HttpMethod.Post, $"/metrics/{metrics[key]}/metric-records")
    {
        Content = new StringContent("""{ "date": "2025-06-15", "alert_type": "Info" }""", Encoding.UTF8, "application/json"),
    };
    post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", writer);
    Volatile.Write(ref sent[key][number], Stopwatch.GetTimestamp());
    using var response = await http.SendAsync(post);
    if (!response.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"POST for key {key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    return response.IsSuccessStatusCode;
}

async Task ReadAsync(int index, int key, HttpResponseMessage response, CancellationToken cancellation)
{
    try
    {
        using (response)
        await using (var body = await response.Content.ReadAsStreamAsync(cancellation))
        using (var reader = new StreamReader(body, Encoding.UTF8))
        {
            string? eventName = null;
            string? data = null;
            while (await reader.ReadLineAsync(cancellation) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    eventName = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
                else if (line.Length == 0 && data is not null)
                {
                    var received = Stopwatch.GetTimestamp();
                    if (eventName == "metric")
                    {
                        // The answer counts the key's records: count n is the n-th POST of that key.
                        // Read without parsing the whole answer: at 10,000 events a second a full
                        // parse per event would be the generator's own share of the tail.
                        var count = TotalAlerts(data);
                        if (count == 0)
                        {
                            firstEvents[index].TrySetResult();
                        }
                        else if (count < sent[key].Length && Volatile.Read(ref sent[key][count]) is var at and > 0)
                        {
                            (count > warmup ? latencies : warmupLatencies)[index].Add(Stopwatch.GetElapsedTime(at, received).TotalMilliseconds);
                        }
                    }

                    eventName = null;
                    data = null;
                }
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
    catch (Exception e) when (e is IOException or HttpRequestException)
    {
        Console.Error.WriteLine($"stream {index} broke: {e.Message}");
        firstEvents[index].TrySetResult();
    }
}

static long TotalAlerts(string data)
{
    const string Field = "\"total_alerts\":";
    var at = data.IndexOf(Field, StringComparison.Ordinal) + Field.Length;
    var end = at;
    while (end < data.Length && char.IsAsciiDigit(data[end]))
    {
        end++;
    }

    return long.Parse(data.AsSpan(at, end - at), CultureInfo.InvariantCulture);
}

// utime + stime of a process, in seconds (clock ticks of 1/100 s on Linux).
static double CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static long Rss(int pid) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

string Token(string username, string scope)
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = "rehearsal" });
    var payload = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["sub"] = Guid.NewGuid().ToString(),
        ["iss"] = issuer,
        ["token_use"] = "access",
        ["client_id"] = "bench",
        ["username"] = username,
        ["scope"] = scope,
        ["iat"] = now,
        ["exp"] = now + 7200,
    });
    var input = $"{B64(Encoding.UTF8.GetBytes(header))}.{B64(Encoding.UTF8.GetBytes(payload))}";
    return $"{input}.{B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";

    static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
