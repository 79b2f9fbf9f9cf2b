using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

public class StaffAndCodeTests
{
    [Fact]
    public void Assign_MinimisesTotalDistanceNotGreedyNearest()
    {
        // Greedy (cell 0 takes its nearest, A) costs 1 + 5 = 6; the optimum gives cell 0 to B: 2 + 2 = 4.
        var cells = new[] { new CellSite(0, 0, 0), new CellSite(1, 3, 0) };
        var staff = new[] { new StaffMember("A", 1, 0), new StaffMember("B", -2, 0) };
        var r = StaffAssigner.Assign(cells, staff);
        Assert.Equal("B", r.StaffOf[0]);
        Assert.Equal("A", r.StaffOf[1]);
        Assert.Equal(4, r.TotalDistance, 9);
    }

    [Fact]
    public void Assign_RespectsBranchCapacityAndPins()
    {
        var cells = new[] { new CellSite(0, 0, 0, "east"), new CellSite(1, 1, 0, "east"), new CellSite(2, 2, 0, "west"), new CellSite(3, 5, 0, "east") };
        var staff = new[] { new StaffMember("E1", 0, 0, "east", capacity: 2), new StaffMember("W1", 0, 0, "west"), new StaffMember("E2", 100, 0, "east") };
        var r = StaffAssigner.Assign(cells, staff, new Dictionary<int, string> { [3] = "E2" });
        Assert.Equal("E2", r.StaffOf[3]);
        Assert.Equal("W1", r.StaffOf[2]);
        Assert.Equal("E1", r.StaffOf[0]);
        Assert.Equal("E1", r.StaffOf[1]);
        Assert.Empty(r.Unstaffed);
    }

    [Fact]
    public void Assign_MoreCellsThanStaff_LeavesTheCostliestUnstaffed()
    {
        var cells = new[] { new CellSite(0, 0, 0, "x"), new CellSite(1, 10, 0, "y") };
        var staff = new[] { new StaffMember("S", 0, 0, "x") };
        var r = StaffAssigner.Assign(cells, staff);
        Assert.Equal("S", Assert.Single(r.StaffOf).Value);
        Assert.Equal([1], r.Unstaffed);
    }

    [Fact]
    public void Assign_PinAcrossBranches_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => StaffAssigner.Assign([new CellSite(0, 0, 0, "x")], [new StaffMember("S", 0, 0, "y")],
            new Dictionary<int, string> { [0] = "S" }));
    }

    [Fact]
    public void Codes_AreNumberedWestToEastThenNorthToSouth()
    {
        // Two rows: north row (y = 100) has x = 50, 0; south row (y = 0) has x = 20, -10.
        var centroids = new (double, double)[] { (50, 100), (20, 0), (0, 100), (-10, 0) };
        var codes = CellCodeAssigner.Assign(centroids, Enumerable.Repeat("410105001002", 4).ToList(), rowHeight: 50);
        Assert.Equal(["410105001002002", "410105001002004", "410105001002001", "410105001002003"], codes);
        Assert.All(codes, c => Assert.Equal(15, c.Length));
    }

    [Fact]
    public void Codes_RestartPerCommunityAndRejectBadPrefixes()
    {
        var codes = CellCodeAssigner.Assign([(0, 0), (10, 0)], ["410105001001", "410105001002"], 10);
        Assert.Equal(["410105001001001", "410105001002001"], codes);
        Assert.Throws<ArgumentException>(() => CellCodeAssigner.Assign([(0, 0)], ["4101"]));
    }
}

public class UnitMoveCheckerTests
{
    // 4×1 strip of squares.
    private static readonly UnitGraph Strip = UnitGraphBuilder.Build(TestGrids.Squares(4, 1));

    [Fact]
    public void Move_ToBorderingCellKeepingContiguity_IsAllowed()
    {
        Assert.True(UnitMoveChecker.Check(Strip, [0, 0, 1, 1], 1, 1).Allowed);
    }

    [Fact]
    public void Move_ThatSplitsTheOldCell_IsRejectedWithTheReason()
    {
        var check = UnitMoveChecker.Check(Strip, [0, 0, 0, 1], 1, 1);
        Assert.False(check.Allowed);
        Assert.Contains("does not border", check.Reason);
        // 3×2 grid, cell 0 is a U (0-3-4-5-2) around cell 1 (unit 1): taking the bottom of the U splits it.
        var split = UnitMoveChecker.Check(UnitGraphBuilder.Build(TestGrids.Squares(3, 2)), [0, 1, 0, 0, 0, 0], 4, 1);
        Assert.False(split.Allowed);
        Assert.Contains("split cell 0", split.Reason);
    }

    [Fact]
    public void Move_OutOfALockedOrLastUnitCell_IsRejected()
    {
        Assert.Contains("locked", UnitMoveChecker.Check(Strip, [0, 0, 1, 1], 1, 1, new HashSet<int> { 0 }).Reason);
        Assert.Contains("last unit", UnitMoveChecker.Check(Strip, [0, 1, 1, 1], 0, 1).Reason);
    }
}
