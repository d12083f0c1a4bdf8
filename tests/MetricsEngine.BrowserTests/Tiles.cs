using System.Text.Json;
using Microsoft.Playwright;

namespace MetricsEngine.BrowserTests;

/// <summary>Where a tile is on the page and what it shows, read through the page's testing contract (data-metric-id, data-state, data-view).</summary>
public sealed record TileBox(string Id, string State, string? View, double X, double Y, double Width, double Height);

/// <summary>Reading and waiting for the dashboard's tiles.</summary>
public static class Tiles
{
    public static ILocator Tile(this IPage page, string id) => page.Locator($"[data-metric-id=\"{id}\"]");

    /// <summary>
    /// Waits until <paramref name="count"/> tiles are on the page, none is still loading, and they
    /// stand still: the grid places a tile when its answer (with its layouts) arrives and moves it
    /// there with a short CSS transition.
    /// </summary>
    public static async Task WaitForTilesAsync(this IPage page, int count)
    {
        await page.WaitForFunctionAsync(
            """
            n => {
              const tiles = [...document.querySelectorAll('[data-metric-id]')];
              return tiles.length === n && tiles.every(t => t.dataset.state !== 'loading');
            }
            """,
            count);
        var previous = await page.TileBoxesAsync();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(150);
            var current = await page.TileBoxesAsync();
            if (current.SequenceEqual(previous))
            {
                return;
            }

            previous = current;
        }

        Assert.Fail($"The tiles kept moving:\n{string.Join("\n", previous)}");
    }

    public static async Task<IReadOnlyList<TileBox>> TileBoxesAsync(this IPage page)
    {
        var tiles = await page.EvaluateAsync<JsonElement>(
            """
            () => [...document.querySelectorAll('[data-metric-id]')].map(t => {
              const r = t.getBoundingClientRect();
              return { id: t.dataset.metricId, state: t.dataset.state, view: t.dataset.view ?? null,
                       x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
            })
            """);
        return [.. tiles.EnumerateArray().Select(t => new TileBox(
            t.GetProperty("id").GetString()!,
            t.GetProperty("state").GetString()!,
            t.GetProperty("view").ValueKind == JsonValueKind.Null ? null : t.GetProperty("view").GetString(),
            t.GetProperty("x").GetDouble(),
            t.GetProperty("y").GetDouble(),
            t.GetProperty("width").GetDouble(),
            t.GetProperty("height").GetDouble()))];
    }

    public static async Task<TileBox> TileBoxAsync(this IPage page, string id) => (await page.TileBoxesAsync()).Single(t => t.Id == id);

    /// <summary>The grid's own box: the width the columns share.</summary>
    public static async Task<(double X, double Width)> GridAsync(this IPage page)
    {
        var box = (await page.Locator(".react-grid-layout").BoundingBoxAsync())!;
        return (box.X, box.Width);
    }

    /// <summary>Presses on a tile's header and moves the pointer by (dx, dy) in small steps, as a hand would.</summary>
    public static async Task DragHeaderAsync(this IPage page, string id, double dx, double dy)
    {
        var header = (await page.Tile(id).Locator("header").BoundingBoxAsync())!;
        var (x, y) = (header.X + 40, header.Y + (header.Height / 2));
        await page.Mouse.MoveAsync((float)x, (float)y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(x + (dx / 2)), (float)(y + (dy / 2)), new MouseMoveOptions { Steps = 10 });
        await page.Mouse.MoveAsync((float)(x + dx), (float)(y + dy), new MouseMoveOptions { Steps = 10 });
        await page.Mouse.UpAsync();
    }

    /// <summary>Content-Security-Policy violations the page met (recorded by <see cref="Browser.NewPageAsync"/>).</summary>
    public static async Task<string[]> CspViolationsAsync(this IPage page) =>
        await page.EvaluateAsync<string[]>("() => window.__cspViolations");

    /// <summary>Waits until no request has been sent for a while, so that what a change caused has been seen.</summary>
    public static async Task SettleAsync(this IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Task.Delay(500);
    }
}
