using MetricsEngine.Testing;
using Microsoft.Playwright;

namespace MetricsEngine.BrowserTests;

/// <summary>
/// One headless Chromium for the whole run: Debian's (<c>apt-get install chromium</c>), driven by
/// Playwright for .NET, which cannot download a browser of its own here. Each test opens its own
/// context (cookies, sessionStorage), so a token one test hands the page never reaches another.
/// </summary>
[SetUpFixture]
public sealed class Browser
{
    /// <summary>Where Debian installs it; METRICSENGINE_CHROMIUM names another build of Chromium.</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("METRICSENGINE_CHROMIUM") ?? "/usr/bin/chromium";

    private static IPlaywright? _playwright;
    private static IBrowser? _chromium;

    public static IBrowser Chromium => _chromium ?? throw new InvalidOperationException("Chromium was not launched.");

    [OneTimeSetUp]
    public async Task Launch()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Chromium is not installed ({ChromiumPath} is missing): apt-get install chromium");
        }

        _playwright = await Playwright.CreateAsync();
        _chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    [OneTimeTearDown]
    public async Task Close()
    {
        if (_chromium is not null)
        {
            await _chromium.CloseAsync();
        }

        _playwright?.Dispose();
        await PostgresServer.StopSharedAsync();
    }

    /// <summary>A fresh context and page at <paramref name="width"/> px, with every CSP violation the page meets recorded.</summary>
    public static async Task<IPage> NewPageAsync(int width = 1400, int height = 1000)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(20_000);
        // Added by the browser itself (not the page), so the page's own policy does not apply to it.
        await context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        return await context.NewPageAsync();
    }
}
