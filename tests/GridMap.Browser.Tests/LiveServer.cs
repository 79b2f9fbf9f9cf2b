using GridMap.Api;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Browser.Tests;

/// <summary>
/// The real GridMap server on a free loopback port over its own copy of the demo city. Browser tests pair it
/// with ChromiumFixture (Debian Chromium via Playwright) and open pages at <see cref="BaseUrl"/>.
/// </summary>
public sealed class LiveServer : IAsyncLifetime
{
    private TestDatabase? _db;
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return; // tests are skipped then
        _db = await DemoDatabase.CreateAsync();
        _app = GridMapApp.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:GridMap", _db.ConnectionString, "--Logging:LogLevel:Default", "Warning"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }


    public async Task DisposeAsync()
    {
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        if (_db is not null) await _db.DisposeAsync();
    }
}
