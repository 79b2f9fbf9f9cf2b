using System.Net;
using System.Text.Json;
using GridMap.Tests.Shared;

namespace GridMap.Api.Tests;

public class ApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    private async Task<JsonElement> Json(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var res = await Client.GetAsync(url);
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(expected == res.StatusCode, $"{url}: expected {expected}, got {res.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [PostgisFact]
    public async Task Health_ReportsDatabaseAndCounts()
    {
        var j = await Json("/api/health");
        Assert.Equal("ok", j.GetProperty("database").GetString());
        Assert.Equal(3, j.GetProperty("counts").GetProperty("compounds").GetInt32());
    }

    [PostgisFact]
    public async Task Features_WithBbox_ReturnsOnlyCompoundsInside()
    {
        var j = await Json("/api/layers/compounds/features?bbox=113.64,34.74,113.67,34.77");
        var ids = j.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt32()).Order().ToArray();
        Assert.Equal([1, 2], ids);
        var first = j.GetProperty("features")[0];
        Assert.Equal("Polygon", first.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("completed", first.GetProperty("properties").GetProperty("retrofit_status").GetString());
        Assert.False(j.GetProperty("truncated").GetBoolean());
    }

    [PostgisFact]
    public async Task Features_WithLimit_SaysTruncated()
    {
        var j = await Json("/api/layers/compounds/features?limit=2");
        Assert.Equal(2, j.GetProperty("features").GetArrayLength());
        Assert.True(j.GetProperty("truncated").GetBoolean());
    }

    [PostgisTheory]
    [InlineData("/api/layers/compounds/features?bbox=1,2,3", "four numbers")]
    [InlineData("/api/layers/compounds/features?bbox=500000,3840000,510000,3850000", "WGS84")]
    [InlineData("/api/layers/compounds/features?limit=100000", "limit")]
    [InlineData("/api/layers/compounds/features?bbox=113.7,34.7,113.6,34.8", "empty")]
    [InlineData("/tiles/compounds/3/9/1.mvt", "does not exist")]
    public async Task BadRequest_ReturnsProblemDetailsNamingTheProblem(string url, string expectedText)
    {
        var j = await Json(url, HttpStatusCode.BadRequest);
        Assert.Equal(400, j.GetProperty("status").GetInt32());
        Assert.Equal("invalid-parameter", j.GetProperty("rule").GetString());
        Assert.Contains(expectedText, j.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [PostgisTheory]
    [InlineData("/api/layers/parcels/features", "Unknown layer 'parcels'")]
    [InlineData("/api/compounds/999", "No compound with id 999")]
    [InlineData("/api/pipes/999", "No pipe with id 999")]
    [InlineData("/api/stats/retrofit?district=999999", "No district")]
    [InlineData("/tiles/parcels.json", "Unknown layer")]
    public async Task UnknownId_Returns404ProblemDetails(string url, string expectedText)
    {
        var j = await Json(url, HttpStatusCode.NotFound);
        Assert.Equal("not-found", j.GetProperty("rule").GetString());
        Assert.Contains(expectedText, j.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task CompoundDetails_JoinStationCellAndStaff()
    {
        var j = await Json("/api/compounds/1");
        Assert.Equal("文化路小区", j.GetProperty("name").GetString());
        Assert.Equal("金水区", j.GetProperty("district_name").GetString());
        Assert.Equal("完成", j.GetProperty("retrofit_status_label").GetString());
        Assert.Equal("金水一站", j.GetProperty("station_name").GetString());
        Assert.Equal("王芳", j.GetProperty("staff_name").GetString());
        var area = j.GetProperty("area_m2").GetDouble();
        Assert.InRange(area, 0.9 * 182.6 * 222.4, 1.1 * 182.6 * 222.4); // 0.002° × 0.002° at 34.75°N
    }

    [PostgisFact]
    public async Task PipeDetails_HaveLengthInMetresAndValves()
    {
        var j = await Json("/api/pipes/10");
        Assert.Equal(200, j.GetProperty("dn").GetInt32());
        Assert.InRange(j.GetProperty("length_m").GetDouble(), 1300, 1500); // 0.01° E × 0.01° N ≈ 1.43 km
        Assert.Equal(100, j.GetProperty("valves")[0].GetInt64());
    }

    [PostgisFact]
    public async Task RetrofitStats_ListEveryStageInCampaignOrder()
    {
        var j = await Json("/api/stats/retrofit");
        var stages = j.GetProperty("byStatus").EnumerateArray().ToArray();
        Assert.Equal(["未启动", "宣传", "入户走访", "签约", "施工", "验收", "完成"], stages.Select(s => s.GetProperty("label").GetString()!).ToArray());
        Assert.Equal(2, stages[2].GetProperty("compounds").GetInt32());
        Assert.Equal(200, stages[2].GetProperty("households").GetInt64());
        Assert.Equal(500, j.GetProperty("total").GetProperty("households").GetInt64());
        Assert.Equal(0, j.GetProperty("total").GetProperty("disputes").GetInt32());
        var district = await Json("/api/stats/retrofit?district=410104");
        Assert.Equal(1, district.GetProperty("total").GetProperty("compounds").GetInt32());
        var extent = district.GetProperty("extent").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal([113.750, 34.750, 113.752, 34.752], extent.Select(v => Math.Round(v, 6)).ToArray());
    }

    [PostgisFact]
    public async Task Tile_ContainsCompoundLayer_AndEmptyTileIsNoContent()
    {
        // z14 tile holding (113.651, 34.751).
        var (x, y) = TileOf(113.651, 34.751, 14);
        var res = await Client.GetAsync($"/tiles/compounds/14/{x}/{y}.mvt");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", res.Content.Headers.ContentType?.MediaType);
        var bytes = await res.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 20);
        // The MVT layer name and a property value are stored as plain UTF-8 strings in the protobuf; only the attributes
        // the map styles by travel (details such as the name come from the API on click).
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("compounds", text, StringComparison.Ordinal);
        Assert.Contains("completed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("文化路小区", text, StringComparison.Ordinal);
        var empty = await Client.GetAsync("/tiles/compounds/14/0/0.mvt");
        Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
    }

    [PostgisFact]
    public async Task PipeTile_BelowZoom13_CarriesOnlyPrimarySupply()
    {
        // The seed has only secondary pipes: at z12 their tile is empty, at z14 it is not.
        var (x12, y12) = TileOf(113.655, 34.754, 12);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync($"/tiles/pipes/12/{x12}/{y12}.mvt")).StatusCode);
        var (x14, y14) = TileOf(113.655, 34.754, 14);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/tiles/pipes/14/{x14}/{y14}.mvt")).StatusCode);
    }

    [PostgisFact]
    public async Task CompoundSearch_FindsByNamePrefixFirst()
    {
        var j = await Json("/api/compounds?q=" + Uri.EscapeDataString("路小区"));
        Assert.Equal(3, j.GetArrayLength());
        var k = await Json("/api/compounds?q=" + Uri.EscapeDataString("纬五"));
        Assert.Equal(2, Assert.Single(k.EnumerateArray()).GetProperty("id").GetInt32());
        await Json("/api/compounds?q=", HttpStatusCode.BadRequest);
    }

    [PostgisFact]
    public async Task TileJson_DescribesLayer()
    {
        var j = await Json("/tiles/pipes.json");
        Assert.Equal("3.0.0", j.GetProperty("tilejson").GetString());
        Assert.EndsWith("/tiles/pipes/{z}/{x}/{y}.mvt", j.GetProperty("tiles")[0].GetString(), StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task OpenApi_DocumentListsEndpoints()
    {
        var j = await Json("/openapi/v1.json");
        var paths = j.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/layers/{layer}/features", out _));
        Assert.True(paths.TryGetProperty("/api/compounds/{id}", out _));
    }

    internal static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var r = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n);
        return (x, y);
    }
}
