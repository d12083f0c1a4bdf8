using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Metrics.ListMetrics;

/// <summary>GET /metrics, the paged list of live metrics, through HTTP against PostgreSQL.</summary>
public sealed class ListMetricsTests : ApiFixture
{
    [Test]
    public async Task The_list_is_paged_in_a_stable_order_with_a_total()
    {
        // A database of its own, so the total is this test's five metrics whatever other tests add.
        await using var api = await MetricsApi.StartAsync();
        using var client = api.CreateAuthorizedClient();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateMetricAsync($$"""{ "title": "Tile {{i}}", "is_editable": true, "layouts": [], "query": "SELECT {{i}} AS n" }"""));
        }

        var first = (await client.GetJsonAsync("/metrics?page=1&page_size=2"))!;
        var third = (await client.GetJsonAsync("/metrics?page=3&page_size=2"))!;

        first["total"]!.GetValue<int>().ShouldBe(5);
        first["page"]!.GetValue<int>().ShouldBe(1);
        first["page_size"]!.GetValue<int>().ShouldBe(2);
        first["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe(ids.Take(2));
        third["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ShouldBe(["Tile 4"]);
        first["items"]![0]!.AsObject().Select(p => p.Key).ShouldBe(["id", "title", "is_editable", "updated_at"]);
    }

    [TestCase("page=abc", "page: page must be a whole number from 1.")]
    [TestCase("page_size=0", "page_size: page_size must be a whole number from 1 to 200.")]
    public async Task Bad_paging_is_a_400(string query, string error)
    {
        (await (await Client.GetAsync($"/metrics?{query}")).FieldErrorsAsync()).ShouldBe([error]);
    }
}
