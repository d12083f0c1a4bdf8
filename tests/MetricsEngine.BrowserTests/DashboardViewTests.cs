using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MetricsEngine.BrowserTests;

/// <summary>
/// Looking at the dashboard: the sample data's metrics at their stored positions, charted, under a
/// window that refetches only the tiles it applies to, read-only for readers, and a clear message
/// when the token has expired. The host polls once an hour here, so every request a test counts is
/// one the page made because of what the test did.
/// </summary>
[NonParallelizable]
public sealed partial class DashboardViewTests
{
    private DashboardServer _server = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await DashboardServer.StartAsync(pollSeconds: 3600);

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>
    /// These tests look at the page once its requests have settled (network idle), which an open
    /// event stream never lets happen: they run on the page's polling fallback, as when no stream
    /// is available. The live stream is driven in DashboardChangesTests.
    /// </summary>
    [SetUp]
    public async Task OpenBrowser()
    {
        _page = await Browser.NewPageAsync();
        await _page.RouteAsync("**/metrics/events**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));
    }

    [TearDown]
    public async Task CloseBrowser() => await _page.Context.CloseAsync();

    [Test]
    public async Task Every_live_metric_is_a_tile_at_its_stored_position_on_ten_columns_at_1400_px()
    {
        var metrics = await _server.MetricsAsync();

        await _page.GotoAsync(_server.Link(_server.Token()));
        await _page.WaitForTilesAsync(SampleData.LiveMetrics);

        var tiles = await _page.TileBoxesAsync();
        tiles.Select(t => t.Id).ShouldBe(metrics.Select(m => m["id"]!.GetValue<string>()), ignoreOrder: true);

        // Reading order on the page (top to bottom, then left to right) is the stored (y, x) order
        // of the lg layouts, with the import's bottom sentinel and metrics without a layout last.
        var stored = metrics
            .Select(m => (Id: m["id"]!.GetValue<string>(), Layout: m["layouts"]!.AsArray().FirstOrDefault(l => l!["breakpoint"]!.GetValue<string>() == "lg")))
            .OrderBy(m => m.Layout is null || m.Layout["y"]!.GetValue<int>() >= 10_000)
            .ThenBy(m => m.Layout?["y"]!.GetValue<int>() ?? int.MaxValue)
            .ThenBy(m => m.Layout?["x"]!.GetValue<int>() ?? 0)
            .Select(m => m.Id);
        tiles.OrderBy(t => Math.Round(t.Y)).ThenBy(t => t.X).Select(t => t.Id).ShouldBe(stored);

        // lg has 10 columns (README of src/Dashboard, "Grid"): x 5 starts half-way across, w 5 is
        // half the grid, w 10 all of it. With react-grid-layout's default 12 they would not.
        var grid = await _page.GridAsync();
        var left = tiles.Single(t => t.Id == SampleData.CostAvoided);
        var right = tiles.Single(t => t.Id == SampleData.AlertsByType);
        (right.X - grid.X).ShouldBe(grid.Width / 2, tolerance: 12);
        right.Y.ShouldBe(left.Y, tolerance: 1);
        left.Width.ShouldBe(right.Width, tolerance: 1);
        (left.Width * 2).ShouldBe(grid.Width, tolerance: 40);
        tiles.Single(t => t.Id == SampleData.CriticalAlerts).Width.ShouldBe(grid.Width, tolerance: 30);
    }

    [Test]
    public async Task Tiles_load_their_charts_and_the_page_is_kept_at_1400_and_800_px()
    {
        // As of the end of June 2025, so the rolling windows of the sample data have rows too.
        await _page.GotoAsync(_server.Link(_server.Token(), "?as_of=2025-06-30"));
        await _page.WaitForTilesAsync(SampleData.LiveMetrics);
        await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var tiles = await _page.TileBoxesAsync();
        tiles.ShouldAllBe(t => t.State == "ready");
        tiles.Single(t => t.Id == SampleData.AlertsByType).View.ShouldBe("bars");
        tiles.Single(t => t.Id == SampleData.AverageValue).View.ShouldBe("timeseries");
        tiles.Single(t => t.Id == SampleData.CostAvoided).View.ShouldBe("timeseries");
        tiles.Single(t => t.Id == SampleData.CriticalAlerts).View.ShouldBe("figure");
        foreach (var chart in tiles.Where(t => t.View is "bars" or "timeseries"))
        {
            var canvas = _page.Tile(chart.Id).Locator("canvas").First;
            await canvas.WaitForAsync();
            (await canvas.BoundingBoxAsync())!.Width.ShouldBeGreaterThan(100, $"the chart of {chart.Id}");
        }

        (await _page.Tile(SampleData.CriticalAlerts).Locator(".tile-figure-value").InnerTextAsync()).ShouldMatch("^[0-9]+$");
        (await _page.CspViolationsAsync()).ShouldBeEmpty();
        await KeepScreenshotAsync(1400);

        // 800 px is react-grid-layout's sm: one column, derived from the stored md layouts.
        await _page.SetViewportSizeAsync(800, 1000);
        // Tiles move to their new places with a short CSS transition: wait until they stand in one column.
        await _page.WaitForFunctionAsync("""
            () => {
              const g = document.querySelector('.react-grid-layout');
              const lefts = [...document.querySelectorAll('[data-metric-id]')].map(t => Math.round(t.getBoundingClientRect().left));
              return g && g.getBoundingClientRect().width < 800 && new Set(lefts).size === 1;
            }
            """);
        await Task.Delay(500); // and charts redraw at their tile's new width
        var narrow = await _page.TileBoxesAsync();
        await KeepScreenshotAsync(800);
        narrow.Select(t => Math.Round(t.X)).Distinct().ShouldHaveSingleItem(string.Join("\n", narrow));
        // md stored order: y 0, 4, 8, then the static tile at 12 and the one stored at 10 pushed below it, then the bottom.
        narrow.OrderBy(t => t.Y).Select(t => t.Id).ShouldBe(
        [
            SampleData.CostAvoided, SampleData.AlertsByType, SampleData.AverageValue,
            SampleData.PartsFlagged, SampleData.NeedApproval, SampleData.CriticalAlerts,
        ]);
    }

    [Test]
    public async Task Changing_the_window_refetches_only_the_tiles_it_applies_to()
    {
        // Without a live stream (wherever one is not available) each tile is asked again by itself.
        var applies = (await _server.MetricsAsync()).ToDictionary(
            m => m["id"]!.GetValue<string>(),
            m => m["parameters"]!["start_date"]!["applicable"]!.GetValue<bool>());
        applies.Values.ShouldContain(true);
        applies.Values.ShouldContain(false);

        await _page.GotoAsync(_server.Link(_server.Token()));
        await _page.WaitForTilesAsync(SampleData.LiveMetrics);
        await _page.SettleAsync();
        var asked = new List<Uri>();
        _page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (request.Method == "GET" && MetricPath().IsMatch(url.AbsolutePath))
            {
                lock (asked)
                {
                    asked.Add(url);
                }
            }
        };

        await _page.GetByLabel("From", new() { Exact = true }).FillAsync("2025-06-10");
        await _page.GetByLabel("To", new() { Exact = true }).FillAsync("2025-06-20");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        foreach (var id in applies.Where(a => a.Value).Select(a => a.Key))
        {
            await _page.Tile(id).Locator(".tile-window").Filter(new() { HasText = "2025-06-10 to 2025-06-20" }).WaitForAsync();
        }

        await _page.WaitForTilesAsync(SampleData.LiveMetrics);
        await _page.SettleAsync();
        lock (asked)
        {
            foreach (var (id, applicable) in applies)
            {
                var requests = asked.Where(u => u.AbsolutePath == $"/metrics/{id}").ToList();
                if (applicable)
                {
                    requests.Count.ShouldBe(1, $"{id} takes start_date and end_date: asked once with the new window");
                    requests[0].Query.ShouldContain("start_date=2025-06-10");
                    requests[0].Query.ShouldContain("end_date=2025-06-20");
                }
                else
                {
                    requests.ShouldBeEmpty($"{id} has no start_date or end_date: nothing to ask again");
                }
            }
        }

        new Uri(_page.Url).Query.ShouldBe("?start_date=2025-06-10&end_date=2025-06-20");
    }

    [Test]
    public async Task A_read_only_token_cannot_move_tiles()
    {
        var puts = 0;
        _page.Request += (_, request) => puts += request.Method == "PUT" ? 1 : 0;
        await _page.GotoAsync(_server.Link(_server.Cognito.UserToken("reader", "metrics-readers")));
        await _page.WaitForTilesAsync(SampleData.LiveMetrics);

        await _page.GetByText("Read-only: this sign-in cannot move tiles.").WaitForAsync();
        (await _page.Locator(".tile-drag-handle").CountAsync()).ShouldBe(0);
        var before = await _page.TileBoxAsync(SampleData.NeedApproval);
        var grid = await _page.GridAsync();

        await _page.DragHeaderAsync(SampleData.NeedApproval, grid.Width / 2, 0);
        await _page.SettleAsync();

        (await _page.TileBoxAsync(SampleData.NeedApproval)).ShouldBe(before);
        puts.ShouldBe(0);
    }

    [Test]
    public async Task An_expired_token_leads_to_the_sign_in_message_with_the_command_for_a_new_link()
    {
        var expired = _server.Token(t => t with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddMinutes(-1) });

        await _page.GotoAsync(_server.Link(expired));

        var message = _page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Your development token has expired." });
        (await message.InnerTextAsync()).ShouldContain("Run ./run.sh token --dashboard for a new link");
        (await _page.Locator("[data-metric-id]").CountAsync()).ShouldBe(0);
        _page.Url.ShouldNotContain("access_token");
    }

    [Test]
    public async Task A_token_that_expires_while_the_page_is_open_leads_to_the_same_message()
    {
        // The page treats a token as expired 5 s early, so this one lasts about 4 s on the page.
        var shortLived = _server.Token(t => t with { Expires = DateTimeOffset.UtcNow.AddSeconds(9) });

        await _page.GotoAsync(_server.Link(shortLived));
        await _page.WaitForTilesAsync(SampleData.LiveMetrics);

        await _page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Your development token has expired." })
            .WaitForAsync(new() { Timeout = 15_000 });
        (await _page.Locator("[data-metric-id]").CountAsync()).ShouldBe(0);
    }

    private async Task KeepScreenshotAsync(int width)
    {
        var path = Path.Combine(Repository.Root, "TestResults", "browser", $"dashboard-{width}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, $"The dashboard with the sample data at {width} px");
    }

    [GeneratedRegex("^/metrics/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex MetricPath();
}
