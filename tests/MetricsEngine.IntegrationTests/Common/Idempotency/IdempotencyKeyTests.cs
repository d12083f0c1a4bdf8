using System.Net;
using System.Text;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Common.Idempotency;

/// <summary>
/// Idempotency-Key on POST /metrics/{id}/metric-records and POST /metrics: a client's retry after
/// a lost answer gets the first answer and stores nothing twice; the key with another body is 422.
/// </summary>
public sealed class IdempotencyKeyTests : ApiFixture
{
    protected override bool ImportsSampleMetrics => true;

    [Test]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_answer_and_stores_one_record()
    {
        var key = Guid.NewGuid().ToString();
        var before = await RecordsAsync();

        var first = await PostRecordAsync(key, """{ "date": "2025-06-05", "parts_flagged": 4 }""");
        var retry = await PostRecordAsync(key, """{"parts_flagged":4,   "date":"2025-06-05"}""");

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        (await RecordsAsync()).ShouldBe(before + 1);
    }

    [Test]
    public async Task The_same_key_with_another_body_is_422_and_stores_nothing()
    {
        var key = Guid.NewGuid().ToString();
        (await PostRecordAsync(key, """{ "parts_flagged": 1 }""")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await RecordsAsync();

        var reused = await PostRecordAsync(key, """{ "parts_flagged": 2 }""");

        var problem = await reused.ReadJsonAsync(HttpStatusCode.UnprocessableEntity);
        problem["title"]!.GetValue<string>().ShouldBe("Idempotency key reused");
        problem["detail"]!.GetValue<string>().ShouldContain("Idempotency-Key");
        (await RecordsAsync()).ShouldBe(before);
    }

    [Test]
    public async Task The_same_key_for_another_metric_is_another_request()
    {
        var key = Guid.NewGuid().ToString();
        (await PostRecordAsync(key, """{ "parts_flagged": 1 }""", SampleMetrics.RawRecords)).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await PostRecordAsync(key, """{ "parts_flagged": 1 }""", SampleMetrics.CostAvoided)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Concurrent_retries_of_one_request_store_it_once_and_all_get_its_answer()
    {
        var key = Guid.NewGuid().ToString();
        var before = await RecordsAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostRecordAsync(key, """{ "alert_type": "Info" }""")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Count().ShouldBe(1);
        (await RecordsAsync()).ShouldBe(before + 1);
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(20)]
    [TestCase(60)]
    public async Task A_retry_after_a_lost_answer_stores_one_record(int abortAfterMs)
    {
        var key = Guid.NewGuid().ToString();
        var before = await RecordsAsync();

        // The first attempt is abandoned at some point: before, during or after the server stored it.
        using (var abandon = new CancellationTokenSource(TimeSpan.FromMilliseconds(abortAfterMs)))
        {
            try
            {
                await PostRecordAsync(key, """{ "parts_flagged": 7 }""", cancellationToken: abandon.Token);
            }
            catch (OperationCanceledException)
            {
                // The answer was lost.
            }
        }

        var retry = await PostRecordAsync(key, """{ "parts_flagged": 7 }""");

        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await RecordsAsync()).ShouldBe(before + 1);
    }

    [Test]
    public async Task A_refused_body_does_not_use_up_its_key()
    {
        var key = Guid.NewGuid().ToString();

        (await PostRecordAsync(key, """{ }""")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PostRecordAsync(key, """{ "parts_flagged": 3 }""")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Test]
    public async Task Keys_belong_to_their_caller()
    {
        using var alice = Api.CreateClient(Api.Cognito.UserToken("alice", "metrics-writers"));
        using var bob = Api.CreateClient(Api.Cognito.UserToken("bob", "metrics-writers"));

        await BothStoreTheirOwnAsync(alice, bob);
    }

    [Test]
    public async Task A_user_named_like_an_app_client_does_not_share_its_keys()
    {
        // The machine token's caller is shown as client:test-app-client; a user may be called that too.
        using var impostor = Api.CreateClient(Api.Cognito.UserToken($"client:{TestCognito.ClientId}", "metrics-writers"));

        await BothStoreTheirOwnAsync(Client, impostor);
    }

    [Test]
    public async Task A_key_older_than_24_hours_is_free_again()
    {
        var key = Guid.NewGuid().ToString();
        (await PostRecordAsync(key, """{ "parts_flagged": 1 }""")).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Api.Database!.ExecuteAsync($"UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = '{key}'");

        (await PostRecordAsync(key, """{ "parts_flagged": 2 }""")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Test]
    public async Task Creating_a_metric_twice_with_one_key_creates_one_metric()
    {
        var key = Guid.NewGuid().ToString();
        const string body = """{ "title": "Once only", "is_editable": true, "layouts": [], "query": "SELECT 1 AS n" }""";

        var first = await SendAsync("/metrics", key, body);
        var retry = await SendAsync("/metrics", key, body);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        (await Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_definitions WHERE title = 'Once only'")).ShouldBe(1);
    }

    [TestCase("\"\"")]
    [TestCase("has space")]
    [TestCase("tab\there")]
    public async Task A_malformed_key_is_a_400(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/metrics/{SampleMetrics.RawRecords}/metric-records")
        {
            Content = new StringContent("""{ "parts_flagged": 1 }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        (await (await Client.SendAsync(request)).FieldErrorsAsync()).ShouldHaveSingleItem().ShouldStartWith("Idempotency-Key: ");
    }

    [Test]
    public async Task A_key_too_long_is_a_400() =>
        (await PostRecordAsync(new string('k', 256), """{ "parts_flagged": 1 }""")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

    /// <summary>Two callers post different records under the same key: each is stored, neither replays the other's answer.</summary>
    private async Task BothStoreTheirOwnAsync(HttpClient first, HttpClient second)
    {
        var key = Guid.NewGuid().ToString();

        var fromFirst = await PostRecordAsync(key, """{ "parts_flagged": 1 }""", client: first);
        var fromSecond = await PostRecordAsync(key, """{ "parts_flagged": 2 }""", client: second);

        fromFirst.StatusCode.ShouldBe(HttpStatusCode.Created);
        fromSecond.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await fromSecond.Content.ReadAsStringAsync()).ShouldNotBe(await fromFirst.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostRecordAsync(
        string key, string body, string metric = SampleMetrics.RawRecords, HttpClient? client = null, CancellationToken cancellationToken = default) =>
        SendAsync($"/metrics/{metric}/metric-records", key, body, client, cancellationToken);

    private Task<HttpResponseMessage> SendAsync(string path, string key, string body, HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return (client ?? Client).SendAsync(request, cancellationToken);
    }

    private Task<long> RecordsAsync() => Api.Database!.ScalarAsync<long>("SELECT count(*) FROM metric_records");
}
