using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Storage.Tests;

/// <summary>Plans written by <see cref="PlanRepository"/> in a session and read back by <see cref="PlanQueries"/> as records:
/// two cells of two compounds each in a row of four 0.001° strips, 100 households per compound.</summary>
public class PlanRepositoryTests
{
    private static readonly WKTReader Reader = new();

    private static MultiPolygon Strip(int x0, int x1)
    {
        var g = (MultiPolygon)Reader.Read(FormattableString.Invariant(
            $"MULTIPOLYGON((({113.6 + x0 * 0.001} 34.75, {113.6 + x1 * 0.001} 34.75, {113.6 + x1 * 0.001} 34.751, {113.6 + x0 * 0.001} 34.751, {113.6 + x0 * 0.001} 34.75)))"));
        g.SRID = 4326;
        return g;
    }

    private static async Task<TestDatabase> RowOfFourAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand("""
            INSERT INTO branch VALUES (1, '西区', @d); INSERT INTO district VALUES ('410102', '中原区', 1, @d);
            INSERT INTO compound (id, name, district_code, footprint, households)
            SELECT i, '小区' || i, '410102', ST_Buffer(ST_SetSRID(ST_MakePoint(113.6 + (i - 0.5) * 0.001, 34.7505), 4326), 0.0002, 1), 100
            FROM generate_series(1, 4) i;
            """);
        cmd.Parameters.AddWithValue("d", (Geometry)Strip(-1, 5));
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    private static NewPreview Preview(PlanSearch search) => new("district", "410102", "district:410102", "中原区", "410102", Strip(0, 4),
        new PlanParams(new PlanParamsArea("district", "410102"), null, null, 150, 250, Barriers: false, Nest: false, Seed: 1, TimeLimit: 10, Objective: "compact"),
        search, 150, 250, 190,
        [new PreviewCell(0, "410102000000001", "一格", Strip(0, 2)), new PreviewCell(1, "410102000000002", "二格", Strip(2, 4), Undersize: true)],
        [.. Enumerable.Range(1, 4).Select(i => new PreviewAssignment(i, i <= 2 ? 0 : 1, Strip(i - 1, i)))]);

    private static async Task<long> InsertAsync(TestDatabase db, NewPreview preview)
    {
        await using var s = await DbSession.BeginAsync(db.DataSource);
        var id = await PlanRepository.InsertPreviewAsync(s, preview);
        await s.CommitAsync();
        return id;
    }

    [PostgisFact]
    public async Task InsertedPreview_ReadsBackAsRecords_WithStoredParamsAndSearch_AndRoundedStatistics()
    {
        await using var db = await RowOfFourAsync();
        var id = await InsertAsync(db, Preview(new PlanSearch { Seconds = 1.25, Feasible = true, Warnings = ["注意"] }));
        var plans = new PlanQueries(db.DataSource);

        var plan = (await plans.PlanAsync(id))!;
        Assert.Equal(("preview", (int?)null, "district:410102"), (plan.Status, plan.Version, plan.Area.Key));
        Assert.Equal(150, plan.Params.MinHouseholds);
        Assert.Null(plan.Params.Cells);
        // Members never stored stay null (and are left out of the JSON), as plans saved by older versions lack them.
        Assert.Equal(new PlanSearch { Seconds = 1.25, Feasible = true, Warnings = plan.Search!.Warnings }, plan.Search);
        Assert.Equal(["注意"], plan.Search.Warnings!);
        Assert.Equal([0, 1], plan.Cells.Select(c => c.Idx));
        Assert.Equal(200, plan.Cells[0].Households);
        Assert.Equal(0.0526m, plan.Cells[0].Deviation); // 200 / 190 − 1, 4 decimals
        Assert.True(plan.Cells[1].Undersize is false && plan.Cells[1].WithinBounds);
        Assert.Equal((2L, 400L, 4L, 0.0526m), (plan.Totals.Cells, plan.Totals.Households, plan.Totals.Compounds, plan.Totals.MaxDeviation));
        Assert.Equal(113.6, plan.Bbox[0], 9);
        Assert.Empty(plan.BarrierCrossings);

        var cells = (await plans.CellFeaturesAsync(id))!;
        Assert.Equal(("FeatureCollection", id, 2), (cells.Type, cells.PlanId, cells.Features.Count));
        Assert.Equal("MultiPolygon", cells.Features[0].Geometry.Type);
        Assert.Equal(113.6, cells.Features[0].Geometry.Coordinates[0][0][0][0], 8);
        var compounds = (await plans.CompoundFeaturesAsync(id))!;
        Assert.Equal([0, 0, 1, 1], compounds.Features.Select(f => f.Properties.Cell));
        var edge = Assert.Single(await plans.SharedEdgesAsync(id, 0, 1));
        Assert.All(edge.Coordinates, p => Assert.Equal(113.602, p[0], 9));
        Assert.Empty(await plans.SharedEdgesAsync(id, 0, 0 + 5));
        Assert.Equal([0, 1], (await plans.CellIndicesAsync(id))!);

        var summary = Assert.Single(await plans.PlansAsync("district:410102", "preview"));
        Assert.Equal((id, 2L), (summary.Id, summary.Cells));
        Assert.Empty(await plans.PlansAsync(null, "published"));
        Assert.Null(await plans.CurrentPlanIdAsync("district:410102"));
    }

    [PostgisFact]
    public async Task UnknownPlan_IsNull_NotAnException()
    {
        await using var db = await RowOfFourAsync();
        var plans = new PlanQueries(db.DataSource);
        Assert.Null(await plans.PlanAsync(42));
        Assert.Null(await plans.CellFeaturesAsync(42));
        Assert.Null(await plans.CompoundFeaturesAsync(42));
        Assert.Null(await plans.CellIndicesAsync(42));
        Assert.False(await plans.ExistsAsync(42));
        await using var s = await DbSession.BeginAsync(db.DataSource);
        Assert.Null(await PlanRepository.LockAsync(s, 42));
    }

    [PostgisFact]
    public async Task SessionNotCommitted_LeavesNothingBehind()
    {
        await using var db = await RowOfFourAsync();
        long id;
        await using (var s = await DbSession.BeginAsync(db.DataSource))
        {
            id = await PlanRepository.InsertPreviewAsync(s, Preview(new PlanSearch()));
            await PlanRepository.SetLockedAsync(s, id, 0, true);
            Assert.Equal(new PlanLock("preview", false, false), await PlanRepository.LockAsync(s, id));
            Assert.True((await PlanRepository.CellsAsync(s, id))[0].Locked);
        }
        Assert.False(await new PlanQueries(db.DataSource).ExistsAsync(id));
        await using var count = db.DataSource.CreateCommand("SELECT (SELECT count(*) FROM plan_cell) + (SELECT count(*) FROM plan_compound)");
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }
}
