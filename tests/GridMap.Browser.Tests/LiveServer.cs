using GridMap.Api;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The real GridMap server on a free loopback port over its own copy of the demo city, plus Debian Chromium
/// driven by Playwright. Shared by the browser tests of a class; each test opens its own page/context.
/// </summary>
public sealed class LiveServer : IAsyncLifetime
{
    private TestDatabase? _db;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Chromium flags for this sandbox: no GPU, no sandbox (root), no calls home.</summary>
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"];

    public async Task InitializeAsync()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return; // tests are skipped then
        _db = await DemoDatabase.CreateAsync();
        _app = GridMapApp.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:GridMap", _db.ConnectionString, "--Logging:LogLevel:Default", "Warning"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    /// <summary>A fresh context (own storage, offline switch, geolocation) at a phone or desktop size.</summary>
    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null) =>
        Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1400, Height = 900 }, Locale = "zh-CN" });

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "GridMap.sln"))) return d.FullName;
        throw new InvalidOperationException("GridMap.sln not found above " + AppContext.BaseDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        if (_db is not null) await _db.DisposeAsync();
    }
}
