using GridMap.Application.Planning;
using GridMap.Domain.Rules;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Application.Tests.Planning;

/// <summary>The planner's partition run against a real PostGIS: what becomes a preview and what is refused.</summary>
public class PlanPartitionerTests
{
    private static readonly WKTReader Reader = new();

    [PostgisFact]
    public async Task Window_WithNoPlanInside_SavesTheBestPlanAsAPreview_WithTheCellsOutsideNamed()
    {
        // 260 – 200 – 260 in a row, 300–500 per cell: each end compound can share a cell with the middle one (460), so
        // none is a provable exception, but 720 households need two cells and either split leaves an end alone at 260.
        var (db, area) = await CompoundRow.CreateAsync(260, 200, 260);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var id = await planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), area);

        var plan = await planning.Reading.PlanAsync(id);
        Assert.Equal("preview", plan.Status);
        Assert.False(plan.Search!.Feasible);
        Assert.Contains(plan.Search.Warnings!, w => w.StartsWith("未找到每格都在 300–500 户之间的方案", StringComparison.Ordinal));
        Assert.False(plan.Totals.AllWithinBounds);
        Assert.True(plan.Totals.AllContiguous);
        Assert.Equal(2, plan.Cells.Count);
        Assert.Equal(720, plan.Cells.Sum(c => c.Households));
        Assert.Contains(plan.Cells, c => !c.WithinBounds);
    }

    [PostgisFact]
    public async Task Window_WithAPlanInside_IsFeasibleWithoutWarnings()
    {
        var (db, area) = await CompoundRow.CreateAsync(200, 250, 240, 200);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var id = await planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), area);

        var plan = await planning.Reading.PlanAsync(id);
        Assert.True(plan.Search!.Feasible);
        Assert.Empty(plan.Search.Warnings!);
        Assert.True(plan.Totals.AllWithinBounds);
    }

    [PostgisFact]
    public async Task CellsMode_WithNoPlan_IsRefusedWithTheReason()
    {
        // Number-of-cells mode has no best-effort preview: 3 cells at ±5% of 236.7 cannot be made of 200/250/260.
        var (db, area) = await CompoundRow.CreateAsync(200, 250, 260);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var ex = await Assert.ThrowsAsync<RuleViolation>(() => planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, cells: 3, tolerance: 0.05, timeLimitSeconds: 2), area));
        Assert.Equal(RuleCodes.NoFeasiblePlan, ex.Code);
        Assert.StartsWith("没有满足约束的方案", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM plan"));
    }

    [PostgisFact]
    public async Task PartitionByArea_LoadsTheAreaItself_AndChecksItFirst()
    {
        var (db, area) = await CompoundRow.CreateAsync(200, 250, 240, 200);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        Assert.Equal("中原区", await planning.Partitioner.ValidateAreaAsync(area.Area));
        var id = await planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), null, CancellationToken.None);
        Assert.Equal(890, (await planning.Reading.PlanAsync(id)).Totals.Households);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => planning.Partitioner.ValidateAreaAsync(new PlanArea("district", "410199")));
        var empty = await Assert.ThrowsAsync<RuleViolation>(() => planning.Partitioner.ValidateAreaAsync(
            new PlanArea("polygon", null, Reader.Read("POLYGON((100 20, 100.01 20, 100.01 20.01, 100 20.01, 100 20))"))));
        Assert.Equal(RuleCodes.AreaEmpty, empty.Code);
    }

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
