using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GridMap.Api;
using GridMap.Application.Auth;
using GridMap.Application.Layers;
using GridMap.Storage;
using GridMap.Storage.Layers;
using GridMap.Tests.Shared;
using GridMap.Tests.Shared.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Api.Tests;

/// <summary>The tiny city plus 40 more compounds of 金水区 on a grid (ids 1001–1040): 43 compounds, enough to page through.</summary>
public sealed class OgcFixture : AppFixture
{
    public const string MoreCompounds = """
        INSERT INTO compound (id, name, district_code, footprint, households, retrofit_status, heating_system, consent_rate)
        SELECT 1000 + i, '网格小区' || i, '410105',
               ST_MakeEnvelope(113.61 + (i % 8) * 0.01, 34.71 + (i / 8) * 0.01, 113.611 + (i % 8) * 0.01, 34.711 + (i / 8) * 0.01, 4326),
               50 + i, 'not_started', 'series', 0.0
        FROM generate_series(1, 40) i;
        """;

    protected override async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand(ApiFixture.Seed + MoreCompounds);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    /// <summary>Ids of the compounds whose footprint intersects a WGS84 box, straight from the table (the oracle for bbox).</summary>
    public async Task<List<long>> CompoundIdsInAsync(double minLon, double minLat, double maxLon, double maxLat)
    {
        await using var cmd = Db.DataSource.CreateCommand(
            "SELECT id FROM compound WHERE ST_Intersects(footprint, ST_MakeEnvelope(@a, @b, @c, @d, 4326)) ORDER BY id");
        cmd.Parameters.AddWithValue("a", minLon);
        cmd.Parameters.AddWithValue("b", minLat);
        cmd.Parameters.AddWithValue("c", maxLon);
        cmd.Parameters.AddWithValue("d", maxLat);
        var ids = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        return ids;
    }

    public async Task<long> CompoundCountAsync()
    {
        await using var cmd = Db.DataSource.CreateCommand("SELECT count(*) FROM compound");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// OGC API – Features at /ogc as a contract: landing page and its links, conformance classes, every catalog layer a
/// collection, paging by next links until numberMatched, bbox against the table, single features, and the refusals
/// (400 bad parameters, 404 unknown, 401 without sign-in, 403 for a layer the role may not read).
/// </summary>
public sealed class OgcApiTests(OgcFixture app) : IClassFixture<OgcFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage res)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(res.IsSuccessStatusCode, $"{(int)res.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static string? Link(JsonElement doc, string rel) =>
        doc.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("href").GetString()).FirstOrDefault();

    private static async Task AssertProblem(HttpResponseMessage res, HttpStatusCode status, string rule)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == status, $"{res.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)res.StatusCode}: {text}");
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Equal(rule, JsonDocument.Parse(text).RootElement.GetProperty("rule").GetString());
    }

    [PostgisFact]
    public async Task Landing_LinksSelfServiceDescConformanceAndData_AndServiceDescIsOpenApi30WithTheItemsLimits()
    {
        var landing = await Json(await app.Client.GetAsync("/ogc"));
        Assert.False(string.IsNullOrEmpty(landing.GetProperty("title").GetString()));
        foreach (var rel in new[] { "self", "service-desc", "conformance", "data" }) Assert.NotNull(Link(landing, rel));

        var conformance = await Json(await app.Client.GetAsync(new Uri(Link(landing, "conformance")!).PathAndQuery));
        Assert.True(conformance.TryGetProperty("conformsTo", out _));
        var data = await Json(await app.Client.GetAsync(new Uri(Link(landing, "data")!).PathAndQuery));
        Assert.True(data.GetProperty("collections").GetArrayLength() > 0);

        var api = await Json(await app.Client.GetAsync(new Uri(Link(landing, "service-desc")!).PathAndQuery));
        Assert.StartsWith("3.0", api.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = api.GetProperty("paths");
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/ogc", p.Name, StringComparison.Ordinal));
        var limit = paths.GetProperty("/ogc/collections/{collectionId}/items").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(OgcFeatures.MaxLimit, limit.GetProperty("maximum").GetInt32());
        Assert.Equal(OgcFeatures.DefaultLimit, limit.GetProperty("default").GetInt32());
    }

    [PostgisFact]
    public async Task Conformance_ClaimsCoreGeoJsonAndOpenApi30()
    {
        var doc = await Json(await app.Client.GetAsync("/ogc/conformance"));
        var classes = doc.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
    }

    [PostgisFact]
    public async Task Collections_EveryCatalogLayer_WithChineseTitle_ItemsLink_AndTheCrs84ExtentOfItsData()
    {
        var doc = await Json(await app.Client.GetAsync("/ogc/collections"));
        var collections = doc.GetProperty("collections").EnumerateArray().ToList();
        Assert.Equal(LayerCatalog.Default.Layers.Select(l => l.Id), collections.Select(c => c.GetProperty("id").GetString()));
        foreach (var c in collections)
        {
            var layer = LayerCatalog.Default.Get(c.GetProperty("id").GetString()!);
            Assert.Equal(layer.Title, c.GetProperty("title").GetString());
            Assert.Contains(c.GetProperty("title").GetString()!, ch => ch >= '\u4e00' && ch <= '\u9fff');
            Assert.EndsWith($"/ogc/collections/{layer.Id}/items", Link(c, "items"), StringComparison.Ordinal);
            Assert.Equal(OgcFeatures.Crs84, c.GetProperty("extent").GetProperty("spatial").GetProperty("crs").GetString());
            Assert.Equal([OgcFeatures.Crs84, OgcFeatures.Epsg4547], c.GetProperty("crs").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(OgcFeatures.Crs84, c.GetProperty("storageCrs").GetString());
        }

        // The compounds' extent is the envelope of their footprints: from the table, not from the code under test.
        var compounds = collections.Single(c => c.GetProperty("id").GetString() == "compounds");
        var bbox = compounds.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        await using var cmd = app.Db.DataSource.CreateCommand("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(footprint) e FROM compound) x");
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        for (var i = 0; i < 4; i++) Assert.Equal(r.GetDouble(i), bbox[i], 9);
        Assert.Equal(113.61, bbox[0], 9); // the grid's west edge (seed), so the oracle itself is checked too

        var one = await Json(await app.Client.GetAsync("/ogc/collections/compounds"));
        Assert.Equal("compounds", one.GetProperty("id").GetString());
        Assert.Equal("feature", one.GetProperty("itemType").GetString());
    }

    [PostgisFact]
    public async Task Items_FollowingNextLinks_ReturnsEveryFeatureOnceInIdOrder_AndTheCountIsNumberMatched()
    {
        var url = "/ogc/collections/compounds/items?limit=7";
        var ids = new List<long>();
        var pages = 0;
        int? matched = null;
        while (url is not null)
        {
            var res = await app.Client.GetAsync(url);
            Assert.Equal("application/geo+json", res.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"<{OgcFeatures.Crs84}>", res.Headers.GetValues("Content-Crs").Single());
            var page = await Json(res);
            pages++;
            Assert.Equal("FeatureCollection", page.GetProperty("type").GetString());
            Assert.True(DateTimeOffset.TryParse(page.GetProperty("timeStamp").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            var features = page.GetProperty("features").EnumerateArray().ToList();
            Assert.Equal(features.Count, page.GetProperty("numberReturned").GetInt32());
            Assert.InRange(features.Count, 1, 7);
            matched ??= page.GetProperty("numberMatched").GetInt32();
            Assert.Equal(matched, page.GetProperty("numberMatched").GetInt32());
            Assert.Equal(pages > 1, Link(page, "prev") is not null);
            ids.AddRange(features.Select(f => f.GetProperty("id").GetInt64()));
            url = Link(page, "next") is { } next ? new Uri(next).PathAndQuery : null;
            Assert.True(pages < 100, "next links never end");
        }
        Assert.Equal(await app.CompoundCountAsync(), ids.Count);
        Assert.Equal(matched, ids.Count);
        Assert.Equal(43, ids.Count);
        Assert.Equal(7, pages); // 6 pages of 7 and one of 1
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [PostgisFact]
    public async Task Items_Bbox_ReturnsExactlyTheFeaturesIntersectingIt_AsTheTableSays()
    {
        (double, double, double, double)[] boxes = [(113.645, 34.705, 113.665, 34.765), (113.6, 34.7, 113.8, 34.9), (113.7105, 34.7405, 113.7106, 34.7406), (100, 10, 101, 11)];
        foreach (var (a, b, c, d) in boxes)
        {
            var q = string.Join(",", new[] { a, b, c, d }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
            var page = await Json(await app.Client.GetAsync($"/ogc/collections/compounds/items?bbox={q}&limit=1000"));
            var got = page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).ToList();
            var expected = await app.CompoundIdsInAsync(a, b, c, d);
            Assert.Equal(expected, got);
            Assert.Equal(expected.Count, page.GetProperty("numberMatched").GetInt32());
        }
        // The first box holds some compounds but not all (else it would test nothing).
        var some = await app.CompoundIdsInAsync(113.645, 34.705, 113.665, 34.765);
        Assert.InRange(some.Count, 2, 42);
    }

    [PostgisFact]
    public async Task Items_CarryTheSamePropertiesAsTheGeoJsonApi_AndFJsonAnswersApplicationJson()
    {
        var ogc = await Json(await app.Client.GetAsync("/ogc/collections/compounds/items?limit=3"));
        var api = await Json(await app.Client.GetAsync("/api/layers/compounds/features?limit=3"));
        var a = ogc.GetProperty("features").EnumerateArray().ToList();
        var b = api.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(b.Count, a.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(b[i].GetProperty("properties").GetRawText(), a[i].GetProperty("properties").GetRawText());
            Assert.Equal(b[i].GetProperty("geometry").GetRawText(), a[i].GetProperty("geometry").GetRawText());
        }
        Assert.Equal(300, a[0].GetProperty("properties").GetProperty("households").GetInt32());

        var json = await app.Client.GetAsync("/ogc/collections/compounds/items?limit=1&f=json");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("f=json&limit=1&offset=1", Link(await Json(json), "next"), StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task Item_ById_IsTheFeature_CodesWorkAsIds_AndAnUnknownIdOrCollectionIs404()
    {
        var one = await Json(await app.Client.GetAsync("/ogc/collections/compounds/items/2"));
        Assert.Equal("Feature", one.GetProperty("type").GetString());
        Assert.Equal(2, one.GetProperty("id").GetInt64());
        Assert.Equal("纬五路小区", one.GetProperty("properties").GetProperty("name").GetString());
        Assert.EndsWith("/ogc/collections/compounds/items/2", Link(one, "self"), StringComparison.Ordinal);

        var district = await Json(await app.Client.GetAsync("/ogc/collections/districts/items/410104"));
        Assert.Equal("管城回族区", district.GetProperty("properties").GetProperty("name").GetString());

        await AssertProblem(await app.Client.GetAsync("/ogc/collections/compounds/items/999999"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await app.Client.GetAsync("/ogc/collections/compounds/items/abc"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await app.Client.GetAsync("/ogc/collections/nothing"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await app.Client.GetAsync("/ogc/collections/nothing/items"), HttpStatusCode.NotFound, "not-found");
    }

    [PostgisTheory]
    [InlineData("limit=0")]
    [InlineData("limit=10001")]
    [InlineData("limit=abc")]
    [InlineData("limit=-5")]
    [InlineData("offset=-1")]
    [InlineData("bbox=113.6,34.7,113.8")]
    [InlineData("bbox=113.8,34.7,113.6,34.9")]
    [InlineData("bbox=a,b,c,d")]
    [InlineData("f=xml")]
    [InlineData("crs=http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("crs=EPSG:4547")]
    [InlineData("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4547")]
    [InlineData("bbox=3850000,450000,3840000,460000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4547")]
    [InlineData("datetime=yesterday")]
    [InlineData("colour=red")]
    public async Task Items_BadParameter_Is400ProblemDetails(string query)
    {
        await AssertProblem(await app.Client.GetAsync("/ogc/collections/compounds/items?" + query), HttpStatusCode.BadRequest, "invalid-parameter");
    }

    [PostgisFact]
    public async Task Items_TheLimitsThemselvesAndAnOpenDatetimeAreAccepted()
    {
        Assert.Equal(1, (await Json(await app.Client.GetAsync("/ogc/collections/compounds/items?limit=1"))).GetProperty("numberReturned").GetInt32());
        Assert.Equal(43, (await Json(await app.Client.GetAsync($"/ogc/collections/compounds/items?limit={OgcFeatures.MaxLimit}"))).GetProperty("numberReturned").GetInt32());
        Assert.Equal(43, (await Json(await app.Client.GetAsync("/ogc/collections/compounds/items?datetime=2026-01-01T00:00:00Z/.."))).GetProperty("numberMatched").GetInt32());
        Assert.Equal(0, (await Json(await app.Client.GetAsync("/ogc/collections/compounds/items?offset=43"))).GetProperty("numberReturned").GetInt32());
    }

    [PostgisFact]
    public async Task CrsEpsg4547_WritesNorthingEastingMetres_AsProjNetComputes_AndSaysSoInContentCrs()
    {
        // Compound 1's footprint is POLYGON((113.650 34.750, 113.652 34.750, …)) (seed); ProjNet (GridMap.Domain) is the oracle.
        var res = await app.Client.GetAsync("/ogc/collections/compounds/items/1?crs=" + Uri.EscapeDataString(OgcFeatures.Epsg4547));
        Assert.Equal($"<{OgcFeatures.Epsg4547}>", res.Headers.GetValues("Content-Crs").Single());
        var ring = (await Json(res)).GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray()
            .Select(p => (N: p[0].GetDouble(), E: p[1].GetDouble())).ToList();
        var (e0, n0) = GridMap.Domain.Geo.Crs.GaussKruger114.FromWgs84Point(113.650, 34.750);
        Assert.Equal(n0, ring[0].N, 2);
        Assert.Equal(e0, ring[0].E, 2);
        Assert.InRange(ring[0].N, 3_800_000, 3_900_000); // northing first: Zhengzhou is ~3.85 million metres north
        Assert.InRange(ring[0].E, 400_000, 600_000);     // easting near the 114°E central meridian's 500 km false easting

        var page = await app.Client.GetAsync("/ogc/collections/compounds/items?limit=1&crs=" + Uri.EscapeDataString(OgcFeatures.Epsg4547));
        Assert.Equal($"<{OgcFeatures.Epsg4547}>", page.Headers.GetValues("Content-Crs").Single());
        var first = (await Json(page)).GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0];
        Assert.Equal(n0, first[0].GetDouble(), 2);
        Assert.Contains("crs=" + Uri.EscapeDataString(OgcFeatures.Epsg4547), Link(await Json(await app.Client.GetAsync(page.RequestMessage!.RequestUri!.PathAndQuery)), "next"), StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task BboxCrsEpsg4547_SelectsTheFeaturesIntersectingTheMetreBox_AsPostgisSays()
    {
        // A metre box around the middle of the seed (northing, easting order in the request, as EPSG:4547 defines).
        var (e0, n0) = GridMap.Domain.Geo.Crs.GaussKruger114.FromWgs84Point(113.645, 34.705);
        var (e1, n1) = GridMap.Domain.Geo.Crs.GaussKruger114.FromWgs84Point(113.665, 34.765);
        var q = string.Join(",", new[] { n0, e0, n1, e1 }.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));
        var page = await Json(await app.Client.GetAsync($"/ogc/collections/compounds/items?limit=1000&bbox={q}&bbox-crs={Uri.EscapeDataString(OgcFeatures.Epsg4547)}"));
        var got = page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).ToList();

        await using var cmd = app.Db.DataSource.CreateCommand(
            "SELECT id FROM compound WHERE ST_Intersects(ST_Transform(footprint, 4547), ST_MakeEnvelope(@e0, @n0, @e1, @n1, 4547)) ORDER BY id");
        cmd.Parameters.AddWithValue("e0", Math.Round(e0, 1));
        cmd.Parameters.AddWithValue("n0", Math.Round(n0, 1));
        cmd.Parameters.AddWithValue("e1", Math.Round(e1, 1));
        cmd.Parameters.AddWithValue("n1", Math.Round(n1, 1));
        var expected = new List<long>();
        await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) expected.Add(r.GetInt64(0));
        Assert.InRange(expected.Count, 2, 42);
        Assert.Equal(expected, got);
        Assert.Equal(expected.Count, page.GetProperty("numberMatched").GetInt32());
        // Still CRS84 out when only the box is in metres.
        Assert.InRange(page.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0][0].GetDouble(), 113, 114);
    }

    [PostgisFact]
    public async Task WithoutSignIn_EveryOgcRouteIs401()
    {
        using var anonymous = app.AnonymousClient();
        foreach (var path in new[] { "/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/compounds", "/ogc/collections/compounds/items", "/ogc/collections/compounds/items/1" })
            await AssertProblem(await anonymous.GetAsync(path), HttpStatusCode.Unauthorized, AccessDenied.Unauthenticated);
    }

    [PostgisFact]
    public async Task Staff_DoNotSeeTheNetworkCollections_And403OnTheirItems_WhileCrewReadThem()
    {
        using var staff = await app.ClientAs(Roles.Staff, 1);
        var ids = (await Json(await staff.GetAsync("/ogc/collections"))).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain("pipes", ids);
        Assert.DoesNotContain("valves", ids);
        Assert.Contains("compounds", ids);
        await AssertProblem(await staff.GetAsync("/ogc/collections/pipes"), HttpStatusCode.Forbidden, AccessDenied.Forbidden);
        await AssertProblem(await staff.GetAsync("/ogc/collections/pipes/items"), HttpStatusCode.Forbidden, AccessDenied.Forbidden);
        await AssertProblem(await staff.GetAsync("/ogc/collections/valves/items/100"), HttpStatusCode.Forbidden, AccessDenied.Forbidden);
        Assert.Equal(43, (await Json(await staff.GetAsync("/ogc/collections/compounds/items"))).GetProperty("numberMatched").GetInt32());

        using var crew = await app.ClientAs(Roles.Crew, 1);
        var pipes = await Json(await crew.GetAsync("/ogc/collections/pipes/items"));
        Assert.Equal([10L, 11L], pipes.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
    }
}

/// <summary>The OGC fixture's database served by a real Kestrel on a free loopback port, for clients outside the process (GDAL).</summary>
public sealed class OgcLiveServer : IAsyncLifetime
{
    private TestDatabase? _db;
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";
    public async Task InitializeAsync()
    {
        if (!TestDatabase.Configured && !TestDatabase.OnCi) return;
        _db = await TestDatabase.CreateAsync();
        await using (var cmd = _db.DataSource.CreateCommand(ApiFixture.Seed + OgcFixture.MoreCompounds)) await cmd.ExecuteNonQueryAsync();
        await GridMapDatabase.EnsureAppLoginAsync(_db.DataSource, AppFixture.AppLogin, AppFixture.AppLogin);
        var appDb = new Npgsql.NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = AppFixture.AppLogin, Password = AppFixture.AppLogin }.ConnectionString;
        _app = GridMapApp.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:GridMap", appDb, "--Logging:LogLevel:Default", "Warning"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>A bearer token of a user of <paramref name="role"/> (created on first use).</summary>
    public async Task<string> TokenAsync(string role)
    {
        var services = _app?.Services ?? throw new InvalidOperationException("the server is not started (no PostGIS configured).");
        var name = "ogc-" + role;
        await TestUsers.EnsureAsync(services, name, role, role is Roles.Admin or Roles.Manager ? null : 1);
        return await TestUsers.TokenAsync(services, name);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        if (_db is not null) await _db.DisposeAsync();
    }
}

/// <summary>
/// Interoperability with a client nobody here wrote: GDAL's OAPIF driver (ogrinfo, ogr2ogr from Debian's gdal-bin,
/// which scripts/lib/common.sh installs) against a live server, signed in through GDAL_HTTP_HEADERS.
/// </summary>
public sealed class OgcGdalTests(OgcLiveServer server) : IClassFixture<OgcLiveServer>
{
    private async Task<(int Code, string Out, string Err)> Gdal(string? token, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Each call starts clean: no inherited GDAL settings, no HTTP cache between runs.
        psi.Environment.Remove("GDAL_HTTP_HEADERS");
        if (token is not null) psi.Environment["GDAL_HTTP_HEADERS"] = "Authorization: Bearer " + token;
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (Debian gdal-bin; scripts/lib/common.sh installs it): {e.Message}", e);
        }
        using (p)
        {
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await p.WaitForExitAsync(timeout.Token);
            return (p.ExitCode, await o, await e);
        }
    }

    private string Source => $"OAPIF:{server.BaseUrl}/ogc";

    private async Task<List<string>> ApiPropertyNames(HttpClient client)
    {
        var doc = JsonDocument.Parse(await client.GetStringAsync("/ogc/collections/compounds/items?limit=1")).RootElement;
        return doc.GetProperty("features")[0].GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
    }

    private HttpClient Client(string token)
    {
        var c = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    [PostgisFact]
    public async Task Ogrinfo_ListsCompounds_WithTheFeatureCountAndTheFieldsOfTheApi()
    {
        var token = await server.TokenAsync(Roles.Manager);
        var r = await Gdal(token, "ogrinfo", "-ro", "-so", Source, "compounds");
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains("Feature Count: 43", r.Out, StringComparison.Ordinal);
        Assert.Contains("Geometry: Polygon", r.Out, StringComparison.Ordinal);
        using var client = Client(token);
        foreach (var field in await ApiPropertyNames(client))
            Assert.Matches($@"(?m)^{field}: ", r.Out);
        Assert.Matches(@"(?m)^households: Integer", r.Out);

        var all = await Gdal(token, "ogrinfo", "-ro", "-so", Source);
        Assert.True(all.Code == 0, all.Err + all.Out);
        foreach (var layer in LayerCatalog.Default.Layers) Assert.Contains($": {layer.Id} (", all.Out, StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task Ogr2ogr_OfABbox_PagingThroughNextLinks_GivesTheSameIdsAsTheApi()
    {
        var token = await server.TokenAsync(Roles.Admin);
        var dir = Directory.CreateTempSubdirectory("gm-oapif-");
        try
        {
            var file = Path.Combine(dir.FullName, "box.geojson");
            // PAGE_SIZE 5 makes GDAL follow several next links.
            var r = await Gdal(token, "ogr2ogr", "-f", "GeoJSON", file, Source, "compounds", "-oo", "PAGE_SIZE=5",
                "-spat", "113.605", "34.705", "113.665", "34.765");
            Assert.True(r.Code == 0, r.Err + r.Out);
            var gdalIds = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("features").EnumerateArray()
                .Select(f => f.GetProperty("properties").GetProperty("id").GetInt64()).Order().ToList();

            using var client = Client(token);
            var api = JsonDocument.Parse(await client.GetStringAsync("/ogc/collections/compounds/items?bbox=113.605,34.705,113.665,34.765&limit=1000")).RootElement;
            var apiIds = api.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).ToList();
            Assert.InRange(apiIds.Count, 11, 42); // more than two pages, fewer than all
            Assert.Equal(apiIds, gdalIds);
        }
        finally { dir.Delete(true); }
    }

    [PostgisFact]
    public async Task Ogrinfo_WithoutAToken_Fails_With401()
    {
        Assert.False(string.IsNullOrEmpty(server.BaseUrl));
        var r = await Gdal(null, "ogrinfo", "-ro", "-so", Source, "compounds");
        Assert.NotEqual(0, r.Code);
        Assert.Contains("401", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Feature Count", r.Out, StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task Ogrinfo_AsStaff_ListsNoNetworkLayer()
    {
        var r = await Gdal(await server.TokenAsync(Roles.Staff), "ogrinfo", "-ro", "-so", Source);
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains(": compounds (", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(": pipes (", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(": valves (", r.Out, StringComparison.Ordinal);
    }
}
