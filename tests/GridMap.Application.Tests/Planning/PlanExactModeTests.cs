using GridMap.Application.Planning;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;

namespace GridMap.Application.Tests.Planning;

/// <summary>Exact mode in the planner service against a real PostGIS: the preview carries <c>search.exact</c> where the
/// heuristic missed the window on a small area, and null where it did not run.</summary>
public class PlanExactModeTests
{
    [PostgisFact]
    public async Task HeuristicMissesTheWindow_OnASmallArea_PreviewCarriesExactImpossible_WithTheSmallestWindow()
    {
        var (db, area) = await CompoundRow.CreateAsync(260, 200, 260);
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
        var (db, area) = await CompoundRow.CreateAsync(200, 250, 240, 200);
        await using var _ = db;
        var planning = new Planning(db.DataSource);
        var id = await planning.Partitioner.PartitionAsync(new PlanRequest(area.Area, minHouseholds: 300, maxHouseholds: 500, timeLimitSeconds: 2), area);

        var plan = await planning.Reading.PlanAsync(id);
        Assert.True(plan.Search!.Feasible);
        Assert.Null(plan.Search.Exact);
    }
}
