using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright. No browser download: the
/// executable is the distribution's (override with GRIDMAP_CHROMIUM), the driver ships in the
/// Microsoft.Playwright package (bin/.../.playwright/node).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("GRIDMAP_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not started.");

    public async Task InitializeAsync()
    {
        // Same rule as LiveServer: without PostGIS (and not on CI) every browser test is skipped, so there is
        // nothing to drive; on CI a missing Chromium must fail loudly.
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return;
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium not found at {ExecutablePath}: install Debian's chromium package (scripts/run does) or set GRIDMAP_CHROMIUM.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh page (own context: no shared cache or storage between tests) at a desktop size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
