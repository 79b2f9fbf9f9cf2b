using GridMap.Application.Planning;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Application.Tests.Planning;

/// <summary>Exact mode in the planner service against a real PostGIS: the preview carries <c>search.exact</c> where the
/// heuristic missed the window on a small area, and null where it did not run.</summary>
public class PlanExactModeTests
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
    public async Task HeuristicMissesTheWindow_OnASmallArea_PreviewCarriesExactImpossible_WithTheSmallestWindow()
    {
        var (db, area) = await Row(260, 200, 260);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var id = await planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 5), area);

        var plan = await planning.Reading.PlanAsync(id);
        var exact = plan.Search!.Exact;
        Assert.NotNull(exact);
        Assert.Equal("impossible", exact.Status);
        Assert.Null(exact.Gap);
        Assert.Null(exact.Objective);
        Assert.NotNull(exact.HeuristicObjective);
        Assert.Equal(new PlanExactWindow(260, 500), exact.SmallestWindow);
        Assert.Contains("260–500", exact.Reason);
        Assert.True(exact.Seconds > 0);
        // The best plan outside the window is still the preview, as before; the planner is told it is proved.
        Assert.False(plan.Search.Feasible);
        Assert.Equal(2, plan.Cells.Count);
        Assert.StartsWith("精确求解已证明", plan.Search.Warnings![0], StringComparison.Ordinal);
    }

    [PostgisFact]
    public async Task HeuristicMeetsTheWindow_ExactDoesNotRun_AndExactIsNull()
    {
        var (db, area) = await Row(200, 250, 240, 200);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var id = await planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), area);

        var plan = await planning.Reading.PlanAsync(id);
        Assert.True(plan.Search!.Feasible);
        Assert.Null(plan.Search.Exact);
    }
}
