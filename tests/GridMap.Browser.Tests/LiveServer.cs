using System.Net.Http.Headers;
using GridMap.Api;
using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using GridMap.Tests.Shared.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The real GridMap server on a free loopback port over its own copy of the demo city. Browser tests pair it
/// with ChromiumFixture (Debian Chromium via Playwright) and open pages at <see cref="BaseUrl"/>.
/// Sign-in is real: the admin <see cref="AdminName"/> exists; <see cref="NewPageAsync"/> opens a page signed in as a user
/// (the auth cookie <c>POST /api/auth/login</c> sets), <see cref="ClientAsync"/> an HttpClient with a user's bearer token.
/// </summary>
public class LiveServer : IAsyncLifetime
{
    public const string AdminName = "browser-admin";
    /// <summary>Password of the users this server creates (follows the password rule).</summary>
    public const string Password = TestUsers.Password;

    private TestDatabase? _db;
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return; // tests are skipped then
        _db = await DemoDatabase.CreateAsync();
        _app = GridMapApp.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:GridMap", _db.ConnectionString, "--Logging:LogLevel:Default", "Warning"]);
        await CreateUserAsync(AdminName, Roles.Admin, null);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>The running app's services (use cases, stores) for setting up what a test needs.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the server is not started (no PostGIS configured).");

    /// <summary>Adds a user (unless the name exists) with <paramref name="role"/> in <paramref name="branch"/> (null = whole company).</summary>
    public Task CreateUserAsync(string name, string role, int? branch, string password = Password) =>
        TestUsers.EnsureAsync(Services, name, role, branch, password);

    /// <summary>A fresh token for an existing user (issued directly, as <c>POST /api/auth/token</c> would).</summary>
    public Task<string> TokenAsync(string name) => TestUsers.TokenAsync(Services, name);

    /// <summary>Signs <paramref name="context"/> in as <paramref name="name"/>: the same HttpOnly, SameSite=Strict cookie
    /// <c>POST /api/auth/login</c> sets, so pages and their tile requests carry it.</summary>
    public async Task SignInAsync(IBrowserContext context, string name)
    {
        await context.AddCookiesAsync(
        [
            new Cookie { Name = GridMapAuthHandler.CookieName, Value = await TokenAsync(name), Url = BaseUrl, HttpOnly = true, SameSite = SameSiteAttribute.Strict },
        ]);
    }

    /// <summary>A fresh page (own context) at a desktop size, signed in as <paramref name="user"/> (the admin by default).</summary>
    public async Task<IPage> NewPageAsync(ChromiumFixture chromium, int width = 1400, int height = 900, string user = AdminName)
    {
        var page = await chromium.NewPageAsync(width, height);
        await SignInAsync(page.Context, user);
        return page;
    }

    /// <summary>An HttpClient at <see cref="BaseUrl"/> with <paramref name="name"/>'s bearer token (the admin by default).</summary>
    public async Task<HttpClient> ClientAsync(string name = AdminName)
    {
        var c = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(name));
        return c;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        if (_db is not null) await _db.DisposeAsync();
    }
}
