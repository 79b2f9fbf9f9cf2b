using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GridMap.Api.Tests;

/// <summary>The tiny city, with failure limits that the tests in one class cannot reach by accident (the test server has no client address).</summary>
public sealed class AuthFixture : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => new ApiFixtureDatabase().CreateAsync();

    protected override void ConfigureApp(IWebHostBuilder builder) => builder
        .UseSetting("GridMap:Auth:MaxFailuresPerAddress", "1000")
        .UseSetting("GridMap:Auth:MaxFailuresPerUser", "8");
}

/// <summary>The tiny city with a low per-address limit.</summary>
public sealed class ThrottleFixture : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => new ApiFixtureDatabase().CreateAsync();

    protected override void ConfigureApp(IWebHostBuilder builder) => builder.UseSetting("GridMap:Auth:MaxFailuresPerAddress", "3");
}

/// <summary>Creates the tiny city of <see cref="ApiFixture"/>.</summary>
internal sealed class ApiFixtureDatabase
{
    public async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand(ApiFixture.Seed);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }
}

/// <summary>POST /api/auth/token and the bearer token on every protected route: 401 cases, expiry, disabled users, lock-out, 429, the cookie.</summary>
public sealed class AuthTokenTests(AuthFixture app) : IClassFixture<AuthFixture>
{
    private static async Task<JsonElement> Problem(HttpResponseMessage res, HttpStatusCode status, string rule)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(status == res.StatusCode, $"expected {status}, got {res.StatusCode}: {text}");
        Assert.StartsWith("application/problem+json", res.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(rule, body.GetProperty("rule").GetString());
        return body;
    }

    private Task<HttpResponseMessage> SignIn(string user, string password, string path = "/api/auth/token") =>
        app.AnonymousClient().PostAsJsonAsync(path, new { username = user, password });

    [PostgisFact]
    public async Task Token_WithTheRightPassword_Is200Bearer_AndOpensProtectedRoutes()
    {
        await app.CreateUserAsync("token-ok", Roles.Manager, null);
        var res = await SignIn("token-ok", AppFixture.Password);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(480 * 60, body.GetProperty("expires_in").GetInt32());
        using var client = app.WithToken(body.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/layers")).StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("token-ok", me.GetProperty("name").GetString());
        Assert.Equal("manager", me.GetProperty("role").GetString());
        Assert.Contains("map.read", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [PostgisFact]
    public async Task Token_UnknownUserAndWrongPassword_GetTheSame401()
    {
        await app.CreateUserAsync("token-wrong", Roles.Crew, 1);
        var unknown = await Problem(await SignIn("nobody-here", "Whatever-123"), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
        var wrong = await Problem(await SignIn("token-wrong", "Not-the-passw0rd"), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
        Assert.Equal(unknown.GetProperty("title").GetString(), wrong.GetProperty("title").GetString());
        Assert.Equal(unknown.GetProperty("detail").GetString(), wrong.GetProperty("detail").GetString());
        await Problem(await app.AnonymousClient().PostAsJsonAsync("/api/auth/token", new { username = "token-wrong" }), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
    }

    [PostgisTheory]
    [InlineData("/api/layers")]
    [InlineData("/api/compounds/1")]
    [InlineData("/tiles/compounds.json")]
    [InlineData("/tiles/compounds/12/3374/1617.mvt")]
    [InlineData("/api/planning/areas")]
    [InlineData("/api/network/status")]
    [InlineData("/api/history?entity=compound&id=1")]
    [InlineData("/api/auth/me")]
    [InlineData("/ogc/collections")]
    [InlineData("/api/no-such-route")]
    public async Task ProtectedRoute_WithoutToken_Is401Unauthenticated(string path)
    {
        var res = await app.AnonymousClient().GetAsync(path);
        await Problem(res, HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);
        Assert.Equal("Bearer", res.Headers.WwwAuthenticate.Single().Scheme);
    }

    [PostgisTheory]
    [InlineData("/api/health")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/docs")]
    [InlineData("/styles.json")]
    public async Task PublicRoute_WithoutToken_IsServed(string path)
    {
        var res = await app.AnonymousClient().GetAsync(path);
        Assert.True(res.StatusCode == HttpStatusCode.OK, $"{path}: {res.StatusCode}");
    }

    [PostgisFact]
    public async Task StaticFiles_WithoutToken_AreNotRefused()
    {
        // The web client itself (index.html, scripts) is public: 200 when built, 404 when not — never 401.
        var res = await app.AnonymousClient().GetAsync("/index.html");
        Assert.True(res.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"/index.html: {res.StatusCode}");
    }

    [PostgisFact]
    public async Task GarbageForgedAndExpiredTokens_Are401()
    {
        using (var garbage = app.WithToken("not-a-token")) await Problem(await garbage.GetAsync("/api/layers"), HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);

        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer, Audience = TokenService.Issuer,
            Claims = new Dictionary<string, object> { ["sub"] = AppFixture.AdminName, ["role"] = "admin", ["stamp"] = 1 },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]), SecurityAlgorithms.HmacSha256),
        });
        using (var client = app.WithToken(forged)) await Problem(await client.GetAsync("/api/layers"), HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);

        var admin = await app.Factory.Services.GetRequiredService<UserDirectory>().ActiveAsync(AppFixture.AdminName, null);
        var expired = await app.Factory.Services.GetRequiredService<TokenService>().IssueAsync(admin!, issuedAt: DateTimeOffset.UtcNow.AddHours(-9));
        using var late = app.WithToken(expired.AccessToken);
        var res = await late.GetAsync("/api/layers");
        var body = await Problem(res, HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);
        Assert.Contains("expired", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("invalid_token", res.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task DisabledUser_TokenStopsWorking_AndCannotSignIn()
    {
        await app.CreateUserAsync("token-disabled", Roles.Planner, 1);
        using var client = await app.ClientForAsync("token-disabled");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/layers")).StatusCode);
        await app.Factory.Services.GetRequiredService<UserAccounts>().DisableAsync("token-disabled");
        await Problem(await client.GetAsync("/api/layers"), HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);
        await Problem(await SignIn("token-disabled", AppFixture.Password), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
    }

    [PostgisFact]
    public async Task PasswordChange_OldTokensStopWorking()
    {
        await app.CreateUserAsync("token-repass", Roles.Staff, 1);
        using var client = await app.ClientForAsync("token-repass");
        await app.Factory.Services.GetRequiredService<UserAccounts>().SetPasswordAsync("token-repass", "Brand-new-passw0rd");
        await Problem(await client.GetAsync("/api/layers"), HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);
        Assert.Equal(HttpStatusCode.OK, (await SignIn("token-repass", "Brand-new-passw0rd")).StatusCode);
    }

    [PostgisFact]
    public async Task FiveWrongPasswords_LockTheAccount_UntilTheLockEnds()
    {
        await app.CreateUserAsync("token-lock", Roles.Planner, 1);
        for (var i = 0; i < 5; i++) await Problem(await SignIn("token-lock", $"Wrong-passw0rd-{i}"), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
        // Locked: even the right password is refused, with the same answer.
        await Problem(await SignIn("token-lock", AppFixture.Password), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
        await using (var cmd = app.Db.DataSource.CreateCommand("SELECT locked_until > now() + interval '14 minutes' FROM app_user WHERE name = 'token-lock'"))
            Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
        await using (var cmd = app.Db.DataSource.CreateCommand("UPDATE app_user SET locked_until = now() - interval '1 second' WHERE name = 'token-lock'"))
            await cmd.ExecuteNonQueryAsync();
        Assert.Equal(HttpStatusCode.OK, (await SignIn("token-lock", AppFixture.Password)).StatusCode);
    }

    [PostgisFact]
    public async Task ManyFailuresForOneName_Are429_WithRetryAfter_OtherNamesUnaffected()
    {
        for (var i = 0; i < 8; i++) await Problem(await SignIn("ghost-user", $"Wrong-passw0rd-{i}"), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
        var res = await SignIn("ghost-user", "Wrong-passw0rd-9");
        await Problem(res, (HttpStatusCode)429, SignInRefused.TooManyAttempts);
        Assert.True(res.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After missing");
        await Problem(await SignIn("other-ghost", "Wrong-passw0rd-0"), HttpStatusCode.Unauthorized, SignInRefused.InvalidCredentials);
    }

    [PostgisFact]
    public async Task CookieLogin_IsHttpOnlyStrict_OpensApiAndTiles_AndLogoutEndsIt()
    {
        await app.CreateUserAsync("cookie-user", Roles.Crew, 1);
        var res = await SignIn("cookie-user", AppFixture.Password, "/api/auth/login");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var setCookie = res.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(GridMapAuthHandler.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        var signedIn = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("crew", signedIn.GetProperty("user").GetProperty("role").GetString());
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];

        using var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal("cookie-user", (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("name").GetString());
        var tile = await client.GetAsync("/tiles/compounds/12/3374/1617.mvt");
        Assert.True(tile.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"tile: {tile.StatusCode}");

        var logout = await client.PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var cleared = logout.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(GridMapAuthHandler.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [PostgisFact]
    public async Task SigningKey_IsSharedThroughTheDatabase_ByASecondInstance()
    {
        await using var second = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:GridMap", app.Db.ConnectionString));
        using var client = second.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenForAsync(AppFixture.AdminName));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/layers")).StatusCode);
        await using var cmd = app.Db.DataSource.CreateCommand("SELECT count(*) FROM auth_signing_key");
        Assert.Equal(1L, (long)(await cmd.ExecuteScalarAsync())!);
    }
}

/// <summary>Failures from one address, whatever names they try, are refused with 429 past the limit.</summary>
public sealed class AuthThrottleTests(ThrottleFixture app) : IClassFixture<ThrottleFixture>
{
    [PostgisFact]
    public async Task ManyFailuresFromOneAddress_Are429_EvenForARightPassword()
    {
        using var anon = app.AnonymousClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsJsonAsync("/api/auth/token", new { username = $"name-{i}", password = "Wrong-passw0rd" })).StatusCode);
        var res = await anon.PostAsJsonAsync("/api/auth/token", new { username = AppFixture.AdminName, password = AppFixture.Password });
        Assert.Equal((HttpStatusCode)429, res.StatusCode);
        Assert.Equal(SignInRefused.TooManyAttempts, (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
    }
}
