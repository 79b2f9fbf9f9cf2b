using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GridMap.Application.Layers;
using GridMap.Storage.Layers;
using GridMap.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Api.Tests;

/// <summary>The demo city with the tile cache on, its disk part in a throw-away folder.</summary>
public sealed class TileCacheFixture : AppFixture
{
    public string CacheDir { get; } = Path.Combine(Path.GetTempPath(), "gm-tilecache-" + Guid.NewGuid().ToString("N")[..8]);
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();
    // Slow to listen again after losing the connection, so the fallback test has time to see requests read the log.
    protected override void ConfigureApp(IWebHostBuilder builder) => builder.UseSetting("GridMap:Tiles:CacheDir", CacheDir)
        .UseSetting("GridMap:Tiles:ListenRetryMs", "2000");
}

/// <summary>Waits for what the tile cache learns from PostgreSQL's notifications (bounded: a test fails, never hangs).</summary>
internal static class TileNotifications
{
    /// <summary>
    /// A change written straight into PostgreSQL (by another tool) reaches a listening cache as a notification. Waits until the
    /// cache was told of the generation now committed, or is not listening (then every request reads the change log itself),
    /// and fails when neither happens within 10 s. The stated bound of "zero stale tiles" for such a change: every request
    /// that arrives after its notification did (docs/tiles-performance.md).
    /// </summary>
    public static async Task NotifiedAsync(IServiceProvider services, Npgsql.NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT gen FROM tile_generation");
        var gen = (long)(await cmd.ExecuteScalarAsync())!;
        var cache = services.GetRequiredService<TileCache>();
        await UntilAsync(() => !cache.Listening || cache.Notified >= gen, $"the cache was not notified of generation {gen} (notified {cache.Notified})");
    }

    public static async Task UntilAsync(Func<bool> condition, string failure, int seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds)) throw new Xunit.Sdk.XunitException(failure + $" within {seconds} s");
            await Task.Delay(5);
        }
    }
}

/// <summary>
/// Zero stale tiles: an edit through the API (publishing a street's grid cells) and one straight into PostgreSQL (a
/// compound's status) change exactly the tiles they touch, at every zoom and in the aggregated progress layers, while
/// tiles elsewhere keep their ETag; every cached tile equals what PostGIS builds now; 304 on a matching ETag; gzip
/// decodes to the plain bytes.
/// </summary>
public sealed class TileCacheTests(TileCacheFixture api) : IClassFixture<TileCacheFixture>
{
    private HttpClient Client => api.Client;

    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var r = lat * Math.PI / 180;
        return ((int)((lon + 180) / 360 * n), (int)((1 - Math.Asinh(Math.Tan(r)) / Math.PI) / 2 * n));
    }

    private sealed record Probe(string Layer, int Z, int X, int Y)
    {
        public string Url => $"/tiles/{Layer}/{Z}/{X}/{Y}.mvt";
        public override string ToString() => Url;
    }

    private static IEnumerable<Probe> Probes(string layer, double lon, double lat, int minZoom, int maxZoom) =>
        Enumerable.Range(minZoom, maxZoom - minZoom + 1).Select(z => { var (x, y) = TileOf(lon, lat, z); return new Probe(layer, z, x, y); });

    private async Task<string> ETagAsync(Probe p)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, p.Url);
        req.Headers.AcceptEncoding.ParseAdd("gzip");
        using var res = await Client.SendAsync(req);
        Assert.True(res.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{p}: {res.StatusCode}");
        Assert.Equal("no-cache", res.Headers.CacheControl?.ToString());
        return res.Headers.ETag?.Tag ?? throw new Xunit.Sdk.XunitException($"{p}: no ETag");
    }

    /// <summary>The ETag of the tile as PostGIS builds it right now, bypassing the cache.</summary>
    private async Task<string> TruthAsync(Probe p) =>
        TileBody.From(await api.Factory.Services.GetRequiredService<LayerStore>().TileAsync(p.Layer, p.Z, p.X, p.Y)).ETag;

    private async Task<Dictionary<Probe, string>> ETagsAsync(IEnumerable<Probe> probes)
    {
        var d = new Dictionary<Probe, string>();
        foreach (var p in probes) d[p] = await ETagAsync(p);
        return d;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = api.Db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task AssertAllCurrentAsync(Dictionary<Probe, string> now)
    {
        foreach (var (p, etag) in now) Assert.True(await TruthAsync(p) == etag, $"{p} is stale: cache {etag}, PostGIS {await TruthAsync(p)}");
    }

    [PostgisFact]
    public async Task SqlEdit_ChangesTouchedTilesAtEveryZoomAndAggregates_OthersKeepTheirETag()
    {
        // A compound in the city centre that is not completed, with a surveyed street; and a far-away tile that has compounds.
        var row = await ScalarAsync<string>("""
            SELECT c.id || ',' || ST_X(ST_PointOnSurface(c.footprint)) || ',' || ST_Y(ST_PointOnSurface(c.footprint))
            FROM compound c JOIN street s ON s.code = c.street_code AND s.area IS NOT NULL
            WHERE c.retrofit_status <> 'completed' ORDER BY ST_Distance(c.footprint, ST_SetSRID(ST_MakePoint(113.66, 34.76), 4326)) LIMIT 1
            """);
        var parts = row.Split(',');
        var (id, lon, lat) = (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        var far = await ScalarAsync<string>($"""
            SELECT ST_X(ST_PointOnSurface(c.footprint)) || ',' || ST_Y(ST_PointOnSurface(c.footprint)) FROM compound c, compound x
            WHERE x.id = {id} AND c.district_code <> x.district_code ORDER BY ST_Distance(c.footprint, x.footprint) DESC, c.id LIMIT 1
            """);
        var fp = far.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var touched = Probes("compounds", lon, lat, 10, 16)
            .Concat(Probes("progress_branches", lon, lat, 4, 16))
            .Concat(Probes("progress_districts", lon, lat, 4, 16))
            .Concat(Probes("progress_streets", lon, lat, 8, 16)).ToList();
        var untouched = Probes("compounds", fp[0], fp[1], 14, 16).Concat(Probes("progress_streets", fp[0], fp[1], 13, 16)).ToList();

        var before = await ETagsAsync(touched.Concat(untouched));
        // Served again: from the cache, and 304 for a matching If-None-Match.
        foreach (var (p, etag) in before)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, p.Url);
            req.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var res = await Client.SendAsync(req);
            Assert.True(HttpStatusCode.NotModified == res.StatusCode, $"{p}: expected 304, got {res.StatusCode}");
        }
        Assert.True(Directory.EnumerateFiles(api.CacheDir, "*.mvt.gz", SearchOption.AllDirectories).Any(), "nothing was written to the disk cache");

        // Straight into PostgreSQL, as QGIS or psql would.
        await ScalarAsync<int>($"UPDATE compound SET retrofit_status = 'completed' WHERE id = {id} RETURNING id");
        await TileNotifications.NotifiedAsync(api.Factory.Services, api.Db.DataSource);

        var after = await ETagsAsync(touched.Concat(untouched));
        foreach (var p in touched) Assert.True(before[p] != after[p], $"{p} did not change after the compound's status changed");
        foreach (var p in untouched) Assert.True(before[p] == after[p], $"{p} changed though the edit was far away");
        await AssertAllCurrentAsync(after);
    }

    private TileCache Cache => api.Factory.Services.GetRequiredService<TileCache>();

    /// <summary>A z16 compound tile (and the compound in it) that no other test of this class edits: not completed, the
    /// <paramref name="nth"/> from the top of the id order.</summary>
    private async Task<(int Id, Probe Tile)> FreshCompoundAsync(int nth)
    {
        var row = await ScalarAsync<string>($"""
            SELECT id || ',' || ST_X(p) || ',' || ST_Y(p) FROM (
              SELECT id, ST_PointOnSurface(footprint) p FROM compound WHERE retrofit_status <> 'completed' ORDER BY id DESC OFFSET {nth} LIMIT 1) x
            """);
        var v = row.Split(',');
        var (lon, lat) = (double.Parse(v[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(v[2], System.Globalization.CultureInfo.InvariantCulture));
        return (int.Parse(v[0], System.Globalization.CultureInfo.InvariantCulture), Probes("compounds", lon, lat, 16, 16).Single());
    }

    private async Task ListeningAsync()
    {
        await ETagAsync(new Probe("compounds", 10, 837, 409)); // the first tile request starts the listener
        await TileNotifications.UntilAsync(() => Cache.Listening, "the tile cache is not listening for changes", 20);
    }

    [PostgisFact]
    public async Task CacheHits_WhileListening_ReadNoChangeLog_AndASqlEditIsServedOnceItsNotificationArrived()
    {
        await ListeningAsync();
        var (id, tile) = await FreshCompoundAsync(5);
        var before = await ETagAsync(tile);
        var reads = Cache.LogReads;
        for (var i = 0; i < 20; i++) Assert.Equal(before, await ETagAsync(tile));
        Assert.True(Cache.Listening, "stopped listening during the test");
        Assert.True(reads == Cache.LogReads, $"cache hits read the change log {Cache.LogReads - reads} times while listening");

        await ScalarAsync<int>($"UPDATE compound SET retrofit_status = 'completed' WHERE id = {id} RETURNING id");
        await TileNotifications.NotifiedAsync(api.Factory.Services, api.Db.DataSource);
        Assert.True(Cache.Listening, "stopped listening during the test");
        var after = await ETagAsync(tile);
        Assert.True(before != after, $"{tile} did not change after the notified edit");
        Assert.Equal(await TruthAsync(tile), after);
        Assert.True(Cache.LogReads > reads, "the notification did not make the cache read the change log");
    }

    [PostgisFact]
    public async Task ListenConnectionLost_EveryRequestReadsTheLog_ThenListensAgainAndStaysCurrent()
    {
        await ListeningAsync();
        var (id, tile) = await FreshCompoundAsync(9);
        var (id2, tile2) = await FreshCompoundAsync(14);
        var before = await ETagAsync(tile);
        var before2 = await ETagAsync(tile2);
        var pid = Cache.ListenerProcessId;
        Assert.True(await ScalarAsync<bool>($"SELECT pg_terminate_backend({pid})"), "could not end the listening connection");
        await TileNotifications.UntilAsync(() => !Cache.Listening, "the lost listening connection was not noticed", 5);

        // Nobody listens now: an edit's notification goes nowhere, yet the next request serves it (it reads the log).
        await ScalarAsync<int>($"UPDATE compound SET retrofit_status = 'completed' WHERE id = {id} RETURNING id");
        var reads = Cache.LogReads;
        var after = await ETagAsync(tile);
        Assert.True(before != after, $"{tile} was stale after an edit while not listening");
        Assert.Equal(await TruthAsync(tile), after);
        for (var i = 0; i < 3; i++) await ETagAsync(tile);
        if (!Cache.Listening) Assert.True(Cache.LogReads >= reads + 4, $"requests while not listening read the log {Cache.LogReads - reads} times, not once each");

        // It listens again on a new connection, and notified edits are served again.
        await TileNotifications.UntilAsync(() => Cache.Listening && Cache.ListenerProcessId != pid, "the cache did not listen again", 20);
        await ScalarAsync<int>($"UPDATE compound SET retrofit_status = 'completed' WHERE id = {id2} RETURNING id");
        await TileNotifications.NotifiedAsync(api.Factory.Services, api.Db.DataSource);
        var after2 = await ETagAsync(tile2);
        Assert.True(before2 != after2, $"{tile2} was stale after an edit once listening again");
        Assert.Equal(await TruthAsync(tile2), after2);
    }

    [PostgisFact]
    public async Task ApiEdit_PublishingCells_ChangesCellTilesAtEveryZoom()
    {
        var streets = await Client.GetFromJsonAsync<JsonElement>("/api/planning/areas?kind=street");
        var street = streets.EnumerateArray().Where(a => a.GetProperty("compounds").GetInt32() is >= 8 and <= 30)
            .OrderBy(a => a.GetProperty("compounds").GetInt32()).First();
        var code = street.GetProperty("code").GetString()!;
        var at = await ScalarAsync<string>($"SELECT ST_X(p) || ',' || ST_Y(p) FROM (SELECT ST_PointOnSurface(footprint) p FROM compound WHERE street_code = '{code}' ORDER BY id LIMIT 1) x");
        var ll = at.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var touched = Probes("cells", ll[0], ll[1], 10, 16).Concat(Probes("progress_cells", ll[0], ll[1], 10, 16)).ToList();
        var before = await ETagsAsync(touched);

        var job = await (await Client.PostAsJsonAsync("/api/planning/partitions",
            new { area = new { kind = "street", code }, cells = 3, tolerance = 0.5, barriers = false, timeLimit = 20 })).Content.ReadFromJsonAsync<JsonElement>();
        var sw = Stopwatch.StartNew();
        JsonElement done;
        do
        {
            await Task.Delay(200);
            done = await Client.GetFromJsonAsync<JsonElement>($"/api/planning/jobs/{job.GetProperty("id").GetString()}");
        } while (done.GetProperty("status").GetString() is "queued" or "running" && sw.Elapsed < TimeSpan.FromMinutes(1));
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var publish = await Client.PostAsync($"/api/planning/plans/{done.GetProperty("planId").GetInt64()}/publish", null);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);

        var after = await ETagsAsync(touched);
        foreach (var p in touched) Assert.True(before[p] != after[p], $"{p} did not change after cells were published");
        await AssertAllCurrentAsync(after);
    }

    [PostgisFact]
    public async Task Gzip_DecodesToTheSameBytes_AndEmptyTileIsNoContentWithETag()
    {
        var (x, y) = TileOf(113.66, 34.76, 14);
        var url = $"/tiles/compounds/14/{x}/{y}.mvt";
        var plain = await Client.GetAsync(url);
        Assert.Null(plain.Content.Headers.ContentEncoding.FirstOrDefault());
        var plainBytes = await plain.Content.ReadAsByteArrayAsync();
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        using var gz = await Client.SendAsync(req);
        Assert.Equal("gzip", Assert.Single(gz.Content.Headers.ContentEncoding));
        var compressed = await gz.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plainBytes.Length, $"gzip {compressed.Length} B is not smaller than {plainBytes.Length} B");
        using var inflate = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        await inflate.CopyToAsync(ms);
        Assert.Equal(plainBytes, ms.ToArray());
        Assert.Equal(plain.Headers.ETag, gz.Headers.ETag);
        Assert.Contains("Accept-Encoding", gz.Headers.Vary);

        var empty = await Client.GetAsync("/tiles/compounds/14/0/0.mvt");
        Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
        Assert.NotNull(empty.Headers.ETag);
    }

    [PostgisFact]
    public async Task CompoundTiles_AtZoom12AndBelow_AreAtMost50KB()
    {
        foreach (var z in new[] { 10, 11, 12 })
        {
            var (x, y) = TileOf(113.66, 34.76, z);
            var bytes = await Client.GetByteArrayAsync($"/tiles/compounds/{z}/{x}/{y}.mvt");
            Assert.True(bytes.Length is > 100 and <= 50 * 1024, $"compounds z{z}: {bytes.Length} B");
        }
    }
}

/// <summary>The tile cache's disk folder unusable: a path that cannot be created (under a file), or a tiny full tmpfs.</summary>
public abstract class BrokenDiskFixture : AppFixture
{
    public abstract string CacheDir { get; }
    protected override Task<TestDatabase> CreateDatabaseAsync() => DemoDatabase.CreateAsync();
    protected override void ConfigureApp(IWebHostBuilder builder) => builder.UseSetting("GridMap:Tiles:CacheDir", CacheDir);
}

public sealed class UncreatableDiskFixture : BrokenDiskFixture
{
    private static readonly string Blocker = Path.GetTempFileName();
    public override string CacheDir => Path.Combine(Blocker, "cache");
}

/// <summary>A 16 KB tmpfs, filled up, when this process may mount one (root); otherwise a read-only folder.</summary>
public sealed class FullDiskFixture : BrokenDiskFixture, IAsyncLifetime
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "gm-fulldisk-" + Guid.NewGuid().ToString("N")[..8]);
    public override string CacheDir => Dir;
    public bool Mounted { get; private set; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        Mounted = await RunAsync("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", Dir) == 0;
        if (Mounted)
        {
            // Fill it: every tile write fails with "no space left".
            try { await System.IO.File.WriteAllBytesAsync(Path.Combine(Dir, "filler"), new byte[64 * 1024]); } catch (IOException) { }
        }
        else
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (Mounted) await RunAsync("umount", Dir);
        try { Directory.Delete(Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            await p.WaitForExitAsync();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

/// <summary>Issue 9's fault: the disk cache cannot be written, and tiles are still served, correct and current.</summary>
public abstract class BrokenDiskTests(BrokenDiskFixture api)
{
    [PostgisFact]
    public async Task Tiles_AreServedCorrectlyAndStayCurrent_WhenTheDiskCacheFails()
    {
        var store = api.Factory.Services.GetRequiredService<LayerStore>();
        var id = await Scalar<int>("SELECT id FROM compound WHERE retrofit_status <> 'completed' ORDER BY id LIMIT 1");
        var at = await Scalar<string>($"SELECT ST_X(p) || ',' || ST_Y(p) FROM (SELECT ST_PointOnSurface(footprint) p FROM compound WHERE id = {id}) x");
        var ll = at.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var n = 1 << 15;
        var (x, y) = ((int)((ll[0] + 180) / 360 * n), (int)((1 - Math.Asinh(Math.Tan(ll[1] * Math.PI / 180)) / Math.PI) / 2 * n));
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 2; i++)
            {
                var res = await api.Client.GetAsync($"/tiles/compounds/15/{x}/{y}.mvt");
                Assert.Equal(HttpStatusCode.OK, res.StatusCode);
                Assert.Equal(await store.TileAsync("compounds", 15, x, y), await res.Content.ReadAsByteArrayAsync());
            }
            await Scalar<int>($"UPDATE compound SET retrofit_status = 'completed' WHERE id = {id} RETURNING id");
            await TileNotifications.NotifiedAsync(api.Factory.Services, api.Db.DataSource);
        }
        Assert.Empty(Directory.Exists(api.CacheDir) ? Directory.EnumerateFiles(api.CacheDir, "*.mvt.gz", SearchOption.AllDirectories) : []);
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var cmd = api.Db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}

public sealed class UncreatableDiskTests(UncreatableDiskFixture api) : BrokenDiskTests(api), IClassFixture<UncreatableDiskFixture>;

public sealed class FullDiskTests(FullDiskFixture api) : BrokenDiskTests(api), IClassFixture<FullDiskFixture>;
