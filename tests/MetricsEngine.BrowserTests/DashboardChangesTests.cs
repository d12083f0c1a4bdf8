using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace MetricsEngine.BrowserTests;

/// <summary>
/// Changes reaching the page and leaving it: a record posted through the API shows on its tile
/// without a reload, and a tile dragged with write permission is saved with PUT and stays where it
/// was put, while a static tile cannot be moved. The record reaches the tile through the live
/// stream; the other tests run on the page's polling fallback (the host polls every second), since
/// a new metric joins the grid through the list the page re-reads when it polls, and waiting for
/// the page's requests to settle is impossible while a stream is open.
/// </summary>
[NonParallelizable]
public sealed class DashboardChangesTests
{
    private DashboardServer _server = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await DashboardServer.StartAsync(pollSeconds: 1);

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public async Task OpenBrowser() => _page = await Browser.NewPageAsync();

    [TearDown]
    public async Task CloseBrowser() => await _page.Context.CloseAsync();

    private async Task WithoutLiveStreamAsync() =>
        await _page.RouteAsync("**/metrics/events**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));

    [Test]
    public async Task A_record_posted_through_the_api_appears_on_its_tile_without_a_reload()
    {
        await _page.GotoAsync(_server.Link(_server.Token()));
        await _page.WaitForTilesAsync(await LiveMetricsAsync());
        var figure = _page.Tile(SampleData.CriticalAlerts).Locator(".tile-figure-value");
        var before = int.Parse(await figure.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var navigations = 0;
        _page.FrameNavigated += (_, frame) => navigations += frame == _page.MainFrame ? 1 : 0;

        using var api = _server.Client();
        var posted = await api.PostAsJsonAsync($"/metrics/{SampleData.CriticalAlerts}/metric-records", new
        {
            date = "2025-06-15T12:00:00Z",
            alert_type = "Critical",
            alert_category = "Seen in the browser",
        });
        posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());

        await _page.Tile(SampleData.CriticalAlerts).Locator(".tile-figure-value").Filter(new() { HasText = $"{before + 1}" })
            .WaitForAsync(new() { Timeout = 30_000 });
        navigations.ShouldBe(0);
    }

    [Test]
    public async Task A_metric_created_through_the_api_joins_the_grid_without_a_reload()
    {
        await WithoutLiveStreamAsync();
        await _page.GotoAsync(_server.Link(_server.Token()));
        var before = await LiveMetricsAsync();
        await _page.WaitForTilesAsync(before);

        using var api = _server.Client();
        var created = await api.PostAsJsonAsync("/metrics", new
        {
            title = "Alerts in June 2025, created while the page was open",
            is_editable = true,
            layouts = new[] { new { breakpoint = "lg", x = 0, y = 30, w = 5, h = 4, @static = false } },
            query_generation_prompt = "Count of alerts by type in June 2025",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();

        await _page.Tile(id).WaitForAsync(new() { Timeout = 30_000 });
        await _page.WaitForTilesAsync(before + 1);
        (await _page.TileBoxAsync(id)).State.ShouldBe("ready");
    }

    [Test]
    public async Task A_dragged_tile_is_saved_with_put_and_stays_there_after_a_reload_while_a_static_tile_does_not_move()
    {
        await WithoutLiveStreamAsync();
        var puts = new List<string>();
        _page.Request += (_, request) =>
        {
            if (request.Method == "PUT")
            {
                lock (puts)
                {
                    puts.Add(new Uri(request.Url).AbsolutePath);
                }
            }
        };
        await _page.GotoAsync(_server.Link(_server.Token()));
        await _page.WaitForTilesAsync(await LiveMetricsAsync());
        await _page.Locator(".tile-drag-handle").First.WaitForAsync(); // definitions read: the grid can save
        await _page.SettleAsync();
        var grid = await _page.GridAsync();
        var before = await _page.TileBoxAsync(SampleData.NeedApproval);
        (before.X - grid.X).ShouldBeLessThan(grid.Width / 4, "it starts in the left half");

        // Static and not editable: no handle, and pressing on its header moves nothing.
        var fixedBefore = await _page.TileBoxAsync(SampleData.AlertsByType);
        (await _page.Tile(SampleData.AlertsByType).Locator(".tile-drag-handle").CountAsync()).ShouldBe(0);
        await _page.DragHeaderAsync(SampleData.AlertsByType, -grid.Width / 2, 0);
        await _page.SettleAsync();
        (await _page.TileBoxAsync(SampleData.AlertsByType)).ShouldBe(fixedBefore);

        // Editable: to the right half of its row.
        var saved = _page.WaitForResponseAsync(r => r.Request.Method == "PUT" && r.Url.EndsWith($"/metrics/{SampleData.NeedApproval}", StringComparison.Ordinal));
        await _page.DragHeaderAsync(SampleData.NeedApproval, grid.Width / 2, 0);
        (await saved).Status.ShouldBe(200);
        await _page.SettleAsync();
        lock (puts)
        {
            puts.ShouldNotContain($"/metrics/{SampleData.AlertsByType}");
        }

        var moved = await _page.TileBoxAsync(SampleData.NeedApproval);
        (moved.X - grid.X).ShouldBe(grid.Width / 2, tolerance: 12);
        moved.Y.ShouldBe(before.Y, tolerance: 1);
        // The drag put react-draggable's one inline style in the page, and the CSP let it in by its hash.
        (await _page.EvaluateAsync<bool>("() => document.getElementById('react-draggable-style-el') !== null")).ShouldBeTrue();
        (await _page.CspViolationsAsync()).ShouldBeEmpty("react-draggable's style is allowed by its hash");

        using var api = _server.Client();
        var definition = (await api.GetFromJsonAsync<JsonNode>($"/metrics/{SampleData.NeedApproval}/definition"))!;
        var lg = definition["layouts"]!.AsArray().Single(l => l!["breakpoint"]!.GetValue<string>() == "lg")!;
        lg["x"]!.GetValue<int>().ShouldBe(5);

        await _page.ReloadAsync();
        await _page.WaitForTilesAsync(await LiveMetricsAsync());
        var all = string.Join("\n", await _page.TileBoxesAsync());
        var reloaded = await _page.TileBoxAsync(SampleData.NeedApproval);
        reloaded.X.ShouldBe(moved.X, tolerance: 1, $"{moved} then {reloaded}; stored {lg.ToJsonString()}\n{all}");
        reloaded.Y.ShouldBe(moved.Y, tolerance: 1, $"{moved} then {reloaded}; stored {lg.ToJsonString()}\n{all}");
        (await _page.TileBoxAsync(SampleData.AlertsByType)).ShouldBe(fixedBefore);
    }

    private async Task<int> LiveMetricsAsync() => (await _server.MetricsAsync()).Count;
}
