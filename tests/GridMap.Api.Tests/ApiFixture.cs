using System.Net.Http.Headers;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using GridMap.Tests.Shared.Api;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GridMap.Api.Tests;

/// <summary>
/// The real GridMap app (WebApplicationFactory) over its own PostGIS database; subclasses say how that database is
/// made. Without a configured PostGIS (and not on CI) nothing starts and every test using it is skipped.
/// Sign-in is real: the fixture adds the admin <see cref="AdminName"/> to its database and <see cref="Client"/> carries
/// that admin's bearer token; <see cref="ClientAs"/> gives a client signed in with another role and branch, and
/// <see cref="AnonymousClient"/> one without any token (401 everywhere but /api/health and /api/auth).
/// </summary>
public abstract class AppFixture : IAsyncLifetime
{
    public const string AdminName = "test-admin";
    /// <summary>Password of every user the fixture creates (follows the password rule).</summary>
    public const string Password = TestUsers.Password;

    private TestDatabase? _db;
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public TestDatabase Db => _db!;

    /// <summary>Creates and fills the fixture's database.</summary>
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>Settings of the app under test (e.g. <c>GridMap:Auth:…</c> thresholds); none by default.</summary>
    protected virtual void ConfigureApp(IWebHostBuilder builder) { }

    public async Task InitializeAsync()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return;
        _db = await CreateDatabaseAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:GridMap", _db.ConnectionString);
            ConfigureApp(b);
        });
        await CreateUserAsync(AdminName, Roles.Admin, null);
        Client = await ClientForAsync(AdminName);
    }

    /// <summary>A client signed in (bearer token) as a user of <paramref name="role"/> in <paramref name="branch"/> (null = whole
    /// company), named <c>ROLE-bBRANCH</c> / <c>ROLE-all</c>; the user is created on first use.</summary>
    public async Task<HttpClient> ClientAs(string role, int? branch = null)
    {
        var name = $"{role}-{(branch is { } b ? "b" + b : "all")}";
        await CreateUserAsync(name, role, branch);
        return await ClientForAsync(name);
    }

    /// <summary>Adds a user (through the use case, as GridMap itself) unless one of that name exists.</summary>
    public Task CreateUserAsync(string name, string role, int? branch, string password = Password) =>
        TestUsers.EnsureAsync(Factory.Services, name, role, branch, password);

    /// <summary>A fresh bearer token for an existing, active user (issued directly: no sign-in request, so no throttling).</summary>
    public Task<string> TokenForAsync(string name) => TestUsers.TokenAsync(Factory.Services, name);

    public async Task<HttpClient> ClientForAsync(string name) => WithToken(await TokenForAsync(name));

    /// <summary>A client sending <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public HttpClient WithToken(string token)
    {
        var c = Factory.CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    /// <summary>A client without any credentials.</summary>
    public HttpClient AnonymousClient() => Factory.CreateClient();

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
    }
}

/// <summary>The app over a tiny known city: one branch, two districts, three compounds, a station, two pipes and a valve.</summary>
public sealed class ApiFixture : AppFixture
{
    public const string Seed = """
        INSERT INTO branch VALUES (1, '东区', ST_Multi(ST_GeomFromText('POLYGON((113.60 34.70,113.80 34.70,113.80 34.90,113.60 34.90,113.60 34.70))', 4326)));
        INSERT INTO district VALUES
          ('410105', '金水区', 1, ST_Multi(ST_GeomFromText('POLYGON((113.60 34.70,113.70 34.70,113.70 34.90,113.60 34.90,113.60 34.70))', 4326))),
          ('410104', '管城回族区', 1, ST_Multi(ST_GeomFromText('POLYGON((113.70 34.70,113.80 34.70,113.80 34.90,113.70 34.90,113.70 34.70))', 4326)));
        INSERT INTO station (id, name, district_code, capacity_kw, geom) VALUES (1, '金水一站', '410105', 3500, ST_SetSRID(ST_MakePoint(113.65, 34.75), 4326));
        INSERT INTO staff (id, name, phone, role, branch_id, base) VALUES (1, '王芳', '138 0371 0001', 'grid_worker', 1, ST_SetSRID(ST_MakePoint(113.65, 34.76), 4326));
        INSERT INTO grid_cell (code, name, district_code, staff_id, area) VALUES
          ('410105001001001', '金水1网格', '410105', 1, ST_Multi(ST_GeomFromText('POLYGON((113.60 34.70,113.70 34.70,113.70 34.80,113.60 34.80,113.60 34.70))', 4326)));
        INSERT INTO compound (id, name, district_code, footprint, households, retrofit_status, heating_system, consent_rate, station_id, cell_code) VALUES
          (1, '文化路小区', '410105', ST_GeomFromText('POLYGON((113.650 34.750,113.652 34.750,113.652 34.752,113.650 34.752,113.650 34.750))', 4326), 300, 'completed', 'parallel', 0.95, 1, '410105001001001'),
          (2, '纬五路小区', '410105', ST_GeomFromText('POLYGON((113.660 34.760,113.662 34.760,113.662 34.762,113.660 34.762,113.660 34.760))', 4326), 120, 'visiting', 'series', 0.40, 1, '410105001001001'),
          (3, '城东路小区', '410104', ST_GeomFromText('POLYGON((113.750 34.750,113.752 34.750,113.752 34.752,113.750 34.752,113.750 34.750))', 4326), 80, 'visiting', 'series', 0.10, NULL, NULL);
        INSERT INTO pipe (id, level, flow, dn, material, install_year, depth_m, status, station_id, geom) VALUES
          (10, 'secondary', 'supply', 200, 'steel', 1998, 1.5, 'open', 1, ST_GeomFromText('LINESTRING(113.650 34.749,113.660 34.759)', 4326)),
          (11, 'secondary', 'return', 200, 'steel', 1998, 1.5, 'open', 1, ST_GeomFromText('LINESTRING(113.6501 34.749,113.6601 34.759)', 4326));
        INSERT INTO valve (id, state, operable, level, dn, pipe_id, geom) VALUES (100, 'open', true, 'secondary', 200, 10, ST_SetSRID(ST_MakePoint(113.655, 34.754), 4326));
        """;

    protected override async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand(Seed);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }
}
