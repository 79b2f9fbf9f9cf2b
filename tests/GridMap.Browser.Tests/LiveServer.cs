using System.Net.Http.Headers;
using GridMap.Api;
using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Storage.Auth;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>
/// The real GridMap server on a free loopback port over its own copy of the demo city. Browser tests pair it
/// with ChromiumFixture (Debian Chromium via Playwright) and open pages at <see cref="BaseUrl"/>.
/// Sign-in: the admin <see cref="AdminName"/> exists, and while <see cref="SignedInByDefault"/> (the default, until the
/// web client has its sign-in page) a request without a token is taken as that admin, so pages and plain HttpClients
/// work as before. Tests of sign-in itself use a subclass with <see cref="SignedInByDefault"/> false and
/// <see cref="CreateUserAsync"/> + <see cref="SignInAsync"/> (puts the auth cookie into a Playwright context).
/// </summary>
public class LiveServer : IAsyncLifetime
{
    public const string AdminName = "browser-admin";
    /// <summary>Password of the users this server creates (follows the password rule).</summary>
    public const string Password = "Browser-Passw0rd";

    private TestDatabase? _db;
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>True: a request without a token is <see cref="AdminName"/> (no sign-in page needed).</summary>
    protected virtual bool SignedInByDefault => true;

    public async Task InitializeAsync()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return; // tests are skipped then
        _db = await DemoDatabase.CreateAsync();
        _app = GridMapApp.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:GridMap", _db.ConnectionString, "--Logging:LogLevel:Default", "Warning"],
            b => b.Services.Configure<GridMapAuthSchemeOptions>(GridMapAuthHandler.SchemeName, o => o.SignInAnonymousAs = SignedInByDefault ? AdminName : null));
        await CreateUserAsync(AdminName, Roles.Admin, null);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the server is not started (no PostGIS configured).");

    /// <summary>Adds a user (unless the name exists) with <paramref name="role"/> in <paramref name="branch"/> (null = whole company).</summary>
    public async Task CreateUserAsync(string name, string role, int? branch, string password = Password)
    {
        if (await Services.GetRequiredService<UserStore>().FindAsync(name) is not null) return;
        await Services.GetRequiredService<UserAccounts>().AddAsync(name, role, branch?.ToString(System.Globalization.CultureInfo.InvariantCulture), password);
    }

    /// <summary>A fresh token for an existing user (issued directly, as <c>POST /api/auth/token</c> would).</summary>
    public async Task<string> TokenAsync(string name)
    {
        var user = await Services.GetRequiredService<UserDirectory>().ActiveAsync(name, null) ?? throw new InvalidOperationException($"no active user {name}");
        return (await Services.GetRequiredService<TokenService>().IssueAsync(user)).AccessToken;
    }

    /// <summary>Signs <paramref name="context"/> in as <paramref name="name"/>: the same HttpOnly, SameSite=Strict cookie
    /// <c>POST /api/auth/login</c> sets, so pages and their tile requests carry it.</summary>
    public async Task SignInAsync(IBrowserContext context, string name)
    {
        await context.AddCookiesAsync(
        [
            new Cookie { Name = GridMapAuthHandler.CookieName, Value = await TokenAsync(name), Url = BaseUrl, HttpOnly = true, SameSite = SameSiteAttribute.Strict },
        ]);
    }

    /// <summary>An HttpClient at <see cref="BaseUrl"/> with <paramref name="name"/>'s bearer token.</summary>
    public async Task<HttpClient> ClientAsync(string name)
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
