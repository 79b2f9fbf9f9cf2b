using System.Text.Json;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Storage.Tests;

/// <summary>The planner's partition run against a real PostGIS: what becomes a preview and what is refused.</summary>
public class PlanPartitionerTests
{
    private static readonly WKTReader Reader = new();

    /// <summary>A square compound of about 80 m at column <paramref name="col"/> of a row near Zhengzhou (lon/lat).</summary>
    private static Geometry Square(int col)
    {
        var x = 113.6 + col * 0.001;
        var g = Reader.Read(FormattableString.Invariant($"POLYGON(({x} 34.75, {x + 0.0008} 34.75, {x + 0.0008} 34.7508, {x} 34.7508, {x} 34.75))"));
        g.SRID = 4326;
        return g;
    }

    private static async Task<(TestDatabase Db, AreaData Area)> Row(params int[] households)
    {
        var db = await TestDatabase.CreateAsync();
        var district = (MultiPolygon)Reader.Read("MULTIPOLYGON(((113.599 34.749, 113.61 34.749, 113.61 34.752, 113.599 34.752, 113.599 34.749)))");
        district.SRID = 4326;
        await using (var cmd = db.DataSource.CreateCommand("INSERT INTO branch VALUES (1, '西区', @d); INSERT INTO district VALUES ('410102', '中原区', 1, @d);"))
        {
            cmd.Parameters.AddWithValue("d", (Geometry)district);
            await cmd.ExecuteNonQueryAsync();
        }
        var compounds = new List<AreaCompound>();
        for (var i = 0; i < households.Length; i++)
        {
            await using var cmd = db.DataSource.CreateCommand("INSERT INTO compound (id, name, district_code, footprint, households) VALUES (@id, @n, '410102', @f, @h)");
            cmd.Parameters.AddWithValue("id", i + 1); cmd.Parameters.AddWithValue("n", $"小区{i + 1}");
            cmd.Parameters.AddWithValue("f", Square(i)); cmd.Parameters.AddWithValue("h", households[i]);
            await cmd.ExecuteNonQueryAsync();
            compounds.Add(new AreaCompound(i + 1, $"小区{i + 1}", Square(i), households[i], null, null, "410102"));
        }
        return (db, new AreaData(new PlanArea("district", "410102"), "中原区", "410102", district, compounds, []));
    }

    [PostgisFact]
    public async Task Window_WithNoPlanInside_SavesTheBestPlanAsAPreview_WithTheCellsOutsideNamed()
    {
        // 260 – 200 – 260 in a row, 300–500 per cell: each end compound can share a cell with the middle one (460), so
        // none is a provable exception, but 720 households need two cells and either split leaves an end alone at 260.
        var (db, area) = await Row(260, 200, 260);
        await using var _ = db;
        var store = new PlanStore(db.DataSource);
        var id = await new PlanPartitioner(store).RunAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), area);

        using var plan = JsonDocument.Parse(await store.PlanJsonAsync(id));
        var root = plan.RootElement;
        Assert.Equal("preview", root.GetProperty("status").GetString());
        Assert.False(root.GetProperty("search").GetProperty("feasible").GetBoolean());
        var warnings = root.GetProperty("search").GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.StartsWith("未找到每格都在 300–500 户之间的方案", StringComparison.Ordinal));
        Assert.False(root.GetProperty("totals").GetProperty("allWithinBounds").GetBoolean());
        Assert.True(root.GetProperty("totals").GetProperty("allContiguous").GetBoolean());
        var cells = root.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(2, cells.Count);
        Assert.Equal(720, cells.Sum(c => c.GetProperty("households").GetDouble()));
        Assert.Contains(cells, c => !c.GetProperty("withinBounds").GetBoolean());
    }

    [PostgisFact]
    public async Task Window_WithAPlanInside_IsFeasibleWithoutWarnings()
    {
        var (db, area) = await Row(200, 250, 240, 200);
        await using var _ = db;
        var store = new PlanStore(db.DataSource);
        var id = await new PlanPartitioner(store).RunAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), area);

        using var plan = JsonDocument.Parse(await store.PlanJsonAsync(id));
        Assert.True(plan.RootElement.GetProperty("search").GetProperty("feasible").GetBoolean());
        Assert.Empty(plan.RootElement.GetProperty("search").GetProperty("warnings").EnumerateArray());
        Assert.True(plan.RootElement.GetProperty("totals").GetProperty("allWithinBounds").GetBoolean());
    }

    [PostgisFact]
    public async Task CellsMode_WithNoPlan_IsRefusedWithTheReason()
    {
        // Number-of-cells mode has no best-effort preview: 3 cells at ±5% of 236.7 cannot be made of 200/250/260.
        var (db, area) = await Row(200, 250, 260);
        await using var _ = db;
        var store = new PlanStore(db.DataSource);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => new PlanPartitioner(store).RunAsync(new PlanRequest(area.Area, cells: 3, tolerance: 0.05, timeLimitSeconds: 2), area));
        Assert.Contains("没有满足约束的方案", ex.Message, StringComparison.Ordinal);
    }
}
