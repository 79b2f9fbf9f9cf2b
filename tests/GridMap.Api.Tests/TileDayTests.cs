using System.Net;
using GridMap.Application.Layers;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Api.Tests;

/// <summary>A clock the test moves (only the tile cache's: sign-in keeps real time).</summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Shift { get; set; }
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
}

/// <summary>The demo city, tile cache on (memory only), with a clock the tests move.</summary>
public sealed class TileDayFixture : AppFixture
{
    public MovableClock Clock { get; } = new();
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();
    protected override void ConfigureApp(IWebHostBuilder builder) => builder.UseSetting("GridMap:Tiles:CacheDir", "none")
        .ConfigureTestServices(s => s.AddSingleton(sp => TileCacheOptions.From(sp.GetService<IConfiguration>()) with { Clock = Clock }));
}

/// <summary>
/// The progress layers count follow-ups overdue as of today, so their tiles change when the date does, with no write to
/// tell the cache: a cached progress tile serves only on the day it was built; a data-only layer's tile is kept.
/// </summary>
public sealed class TileDayTests(TileDayFixture api) : IClassFixture<TileDayFixture>
{
    private static string Tile(string layer, int z, double lon, double lat)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var rad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n);
        return FormattableString.Invariant($"/tiles/{layer}/{z}/{x}/{y}.mvt");
    }

    [PostgisFact]
    public async Task ProgressTiles_AreRebuiltOnANewDay_DataOnlyTilesAreNot()
    {
        var cache = api.Factory.Services.GetRequiredService<TileCache>();
        // Tiles over a demo compound: both layers draw something there.
        await using var cmd = api.Db.DataSource.CreateCommand("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(footprint) AS p FROM compound ORDER BY id LIMIT 1) q");
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        var (lon, lat) = (r.GetDouble(0), r.GetDouble(1));
        var progress = Tile("progress_districts", 8, lon, lat);
        var compounds = Tile("compounds", 14, lon, lat);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(progress)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(compounds)).StatusCode);
        var built = cache.Builds;

        // Same day: both from the cache.
        await api.Client.GetAsync(progress);
        await api.Client.GetAsync(compounds);
        Assert.Equal(built, cache.Builds);

        // The next day: the progress tile is built again (once), the compound tile is still served from the cache.
        api.Clock.Shift = TimeSpan.FromDays(1);
        var again = await api.Client.GetAsync(progress);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(built + 1, cache.Builds);
        await api.Client.GetAsync(compounds);
        await api.Client.GetAsync(progress);
        Assert.Equal(built + 1, cache.Builds);
    }
}
