using System.Net;
using MetricsEngine.Testing;
using MetricsEngine.Web.Live;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.IntegrationTests.Live;

/// <summary>
/// The event stream on one instance, through HTTP as the dashboard reads it: the first answer is
/// GET's, changes arrive as events, Last-Event-ID, several metrics on one stream, deletion, errors.
/// </summary>
public sealed class LiveStreamTests : ApiFixture
{
    protected override IDictionary<string, string?> Settings(TestDatabase database) => new Dictionary<string, string?>
    {
        ["Live:HeartbeatSeconds"] = "1",
        ["Live:MinIntervalMilliseconds"] = "50",
        ["Live:MaxStreamsPerCaller"] = "100",
        ["Query:MaxResultBytes"] = "50000",
    };

    [Test]
    public async Task The_first_event_is_exactly_what_get_answers_with_its_etag_as_the_id()
    {
        var id = await Client.CountingMetricAsync("First");
        using var get = await Client.GetAsync($"/metrics/{id}?start_date=2025-06-01");
        var body = await get.Content.ReadAsStringAsync();

        await using var stream = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events?start_date=2025-06-01");
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        stream.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var first = (await stream.NextAsync())!;

        first.Event.ShouldBe("metric");
        first.Data.ShouldBe(body);
        first.Id.ShouldBe(get.Headers.ETag!.Tag.Trim('"'));
        stream.Retry.ShouldBe(3000);
    }

    [Test]
    public async Task A_new_record_sends_the_new_answer()
    {
        var id = await Client.CountingMetricAsync("Counted");
        await using var stream = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events");
        (await stream.NextAsync())!.Count().ShouldBe(0);

        await Client.AddRecordAsync(id);

        var next = (await stream.NextAsync())!;
        next.Event.ShouldBe("metric");
        next.Count().ShouldBe(1);
        next.Data.ShouldBe(await (await Client.GetAsync($"/metrics/{id}")).Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_recomputation_that_gives_the_same_answer_sends_nothing()
    {
        var constant = await Client.CreateMetricAsync($$"""{ "title": "Constant {{Guid.NewGuid():N}}", "is_editable": true, "layouts": [], "query": "SELECT 1 AS n" }""");
        var counting = await Client.CountingMetricAsync("Moving");
        await using var stream = await EventStreamReader.OpenAsync(Client, $"/metrics/events?id={constant}&id={counting}");
        var initial = new[] { (await stream.NextAsync())!, (await stream.NextAsync())! };
        initial.Select(e => e.Json["id"]!.GetValue<string>()).ShouldBe([constant.ToString(), counting.ToString()], ignoreOrder: true);

        // A record for the constant metric's query: it is recomputed, to the same answer.
        await Client.AddRecordAsync(constant);
        await Client.AddRecordAsync(counting);

        var next = (await stream.NextAsync())!;
        next.Json["id"]!.GetValue<string>().ShouldBe(counting.ToString());
        next.Count().ShouldBe(1);
    }

    [Test]
    public async Task Last_event_id_equal_to_the_current_etag_sends_no_first_event()
    {
        var id = await Client.CountingMetricAsync("Resumed");
        string etag;
        await using (var first = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events"))
        {
            etag = (await first.NextAsync())!.Id!;
        }

        await using var resumed = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events", lastEventId: etag);
        await Client.AddRecordAsync(id);

        var next = (await resumed.NextAsync())!;
        next.Count().ShouldBe(1);
        next.Id.ShouldNotBe(etag);

        await using var stale = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events", lastEventId: etag);
        (await stale.NextAsync())!.Count().ShouldBe(1);
    }

    [Test]
    public async Task A_deleted_metric_leaves_a_shared_stream_and_ends_its_own()
    {
        var doomed = await Client.CountingMetricAsync("Doomed");
        var kept = await Client.CountingMetricAsync("Kept");
        await using var own = await EventStreamReader.OpenAsync(Client, $"/metrics/{doomed}/events");
        await using var shared = await EventStreamReader.OpenAsync(Client, $"/metrics/events?id={doomed}&id={kept}");
        await own.NextAsync();
        await shared.NextAsync();
        await shared.NextAsync();

        (await Client.DeleteAsync($"/metrics/{doomed}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var ownEvents = await own.EndAsync();
        ownEvents.Single().Event.ShouldBe("deleted");
        ownEvents.Single().Json["id"]!.GetValue<string>().ShouldBe(doomed.ToString());
        var deleted = (await shared.NextAsync())!;
        deleted.Event.ShouldBe("deleted");
        deleted.Json["id"]!.GetValue<string>().ShouldBe(doomed.ToString());

        await Client.AddRecordAsync(kept);
        var after = (await shared.NextAsync())!;
        after.Json["id"]!.GetValue<string>().ShouldBe(kept.ToString());
        after.Count().ShouldBe(1);
    }

    [Test]
    public async Task A_failed_recomputation_is_an_error_event_naming_its_metric_and_the_stream_goes_on()
    {
        // Each record of this alert type adds a 4,000-character row: a few make the answer larger than Query:MaxResultBytes.
        var tag = $"growing-{Guid.NewGuid():N}";
        var id = await Client.CreateMetricAsync($$"""
            { "title": "Growing {{tag}}", "is_editable": true, "layouts": [],
              "query": "SELECT '{{new string('x', 4000)}}' AS filler FROM metrics WHERE alert_type = '{{tag}}'" }
            """);
        await using var stream = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events");
        (await stream.NextAsync())!.Event.ShouldBe("metric");

        for (var i = 0; i < 10; i++)
        {
            await (await Client.PostJsonAsync($"/metrics/{id}/metric-records", $$"""{ "date": "2025-06-15", "alert_type": "{{tag}}" }"""))
                .ReadJsonAsync(HttpStatusCode.Created);
        }

        var error = await stream.NextMatchingAsync(e => e.Event == "error");
        error.Json["metric_id"]!.GetValue<string>().ShouldBe(id.ToString());
        error.Json["status"]!.GetValue<int>().ShouldBe(422);
        error.Json["title"].ShouldNotBeNull();
        (await Client.GetAsync($"/metrics/{id}")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        // Back under the limit: the same stream carries the new answer.
        await (await Client.SendJsonAsync(HttpMethod.Put, $"/metrics/{id}",
            """{ "is_editable": true, "layouts": [], "query": "SELECT 'small' AS filler" }""")).ReadJsonAsync(HttpStatusCode.OK);
        var recovered = await stream.NextMatchingAsync(e => e.Event == "metric");
        recovered.Json["records"]!.ToJsonString().ShouldBe("""[{"filler":"small"}]""");
    }

    [Test]
    public async Task A_quiet_stream_gets_heartbeats()
    {
        var id = await Client.CountingMetricAsync("Quiet");
        await using var stream = await EventStreamReader.OpenAsync(Client, $"/metrics/{id}/events");
        await stream.NextAsync();

        // Live:HeartbeatSeconds is 1 here: waiting five for an event that never comes reads several.
        await Should.ThrowAsync<TimeoutException>(() => stream.NextAsync(TimeSpan.FromSeconds(5)));

        stream.Comments.ShouldNotBeEmpty();
    }

    [Test]
    public async Task What_get_refuses_is_refused_before_the_stream_starts()
    {
        (await Client.GetAsync("/metrics/not-a-uuid/events")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.GetAsync($"/metrics/{Guid.NewGuid()}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var id = await Client.CountingMetricAsync("Refusals");
        (await Client.GetAsync($"/metrics/{id}/events?start_date=June")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.GetAsync($"/metrics/{id}/events?start_date=2025-06-01&start_date=2025-06-02")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.GetAsync("/metrics/events")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.GetAsync($"/metrics/events?id={id}&id=nope")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.GetAsync($"/metrics/events?id={id}&id={Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api.CreateClient().GetAsync($"/metrics/{id}/events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await LiveClients.EventuallyAsync(() => Task.FromResult(Api.Services.GetRequiredService<LiveStreams>().Count == 0), "no refused stream stays counted");
    }

    [Test]
    public async Task A_stream_ends_with_reauthenticate_when_its_token_expires()
    {
        var id = await Client.CountingMetricAsync("Expiring");
        using var shortLived = Api.CreateClient(Api.Cognito.Token(t => t with
        {
            Scopes = ["api/backend_access"],
            Expires = DateTimeOffset.UtcNow.AddSeconds(3),
        }));
        await using var stream = await EventStreamReader.OpenAsync(shortLived, $"/metrics/{id}/events");
        (await stream.NextAsync())!.Event.ShouldBe("metric");

        var rest = await stream.EndAsync();

        rest.Last().Event.ShouldBe("reauthenticate");
        rest.Last().Json["detail"]!.GetValue<string>().ShouldContain("expired");
    }
}
