using CsCheck;
using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>StaffAssigner over a given cost matrix (e.g. road distances from the storage layer) instead of the straight line.</summary>
public class StaffAssignerCostTests
{
    [Fact]
    public void Assign_WithCostMatrix_PicksTheCheaperByMatrix_NotTheNearerAsTheCrowFlies()
    {
        // A is 1 m from the cell, B 2 m; the matrix says a river lies between A and the cell: 900 m by road, B 250 m.
        var cells = new[] { new CellSite(0, 0, 0) };
        var staff = new[] { new StaffMember("A", 1, 0), new StaffMember("B", -2, 0) };
        Assert.Equal("A", StaffAssigner.Assign(cells, staff).StaffOf[0]);
        var road = new TravelCostMatrix([("A", 0, 900.0), ("B", 0, 250.0)]);
        var r = StaffAssigner.Assign(cells, staff, costs: road);
        Assert.Equal("B", r.StaffOf[0]);
        Assert.Equal(250, r.TotalDistance, 9);
        Assert.Equal(250, r.DistanceOf[0], 9);
    }

    [Fact]
    public void Assign_WithCostMatrix_ReportsEachCellsCost_PinsIncluded_AndTheirSum()
    {
        var cells = new[] { new CellSite(0, 0, 0), new CellSite(1, 10, 0), new CellSite(2, 20, 0) };
        var staff = new[] { new StaffMember("P", 0, 0), new StaffMember("Q", 0, 0), new StaffMember("R", 0, 0) };
        var costs = new TravelCostMatrix(
            from s in new[] { ("P", 100.0), ("Q", 200.0), ("R", 300.0) }
            from c in new[] { (0, 1.0), (1, 2.0), (2, 4.0) }
            select (s.Item1, c.Item1, s.Item2 * c.Item2));
        // P is pinned to the costliest cell for P (400); the solver then places Q and R on cells 0 and 1.
        var r = StaffAssigner.Assign(cells, staff, new Dictionary<int, string> { [2] = "P" }, costs);
        Assert.Equal("P", r.StaffOf[2]);
        Assert.Equal(400, r.DistanceOf[2], 9);
        // Q→1, R→0 costs 400 + 300 = 700; Q→0, R→1 costs 200 + 600 = 800.
        Assert.Equal("R", r.StaffOf[0]);
        Assert.Equal("Q", r.StaffOf[1]);
        Assert.Equal(r.DistanceOf.Values.Sum(), r.TotalDistance, 9);
        Assert.Equal(1100, r.TotalDistance, 9);
    }

    [Fact]
    public void Assign_StraightLineMatrix_GivesTheDefaultAnswer()
    {
        var rng = new Random(3);
        var cells = Enumerable.Range(0, 12).Select(i => new CellSite(i, rng.NextDouble() * 1000, rng.NextDouble() * 1000, i % 2 == 0 ? "e" : "w")).ToList();
        var staff = Enumerable.Range(0, 9).Select(i => new StaffMember($"s{i}", rng.NextDouble() * 1000, rng.NextDouble() * 1000, i % 3 == 0 ? "e" : "w")).ToList();
        var plain = StaffAssigner.Assign(cells, staff);
        var viaMatrix = StaffAssigner.Assign(cells, staff, costs: TravelCostMatrix.StraightLine(staff, cells));
        Assert.Equal(plain.StaffOf.OrderBy(x => x.Key), viaMatrix.StaffOf.OrderBy(x => x.Key));
        Assert.Equal(plain.TotalDistance, viaMatrix.TotalDistance, 6);
    }

    [Fact]
    public void Assign_WithCostMatrix_MissingSameBranchPair_IsRejected_OtherBranchesNeedNone()
    {
        var cells = new[] { new CellSite(0, 0, 0, "east"), new CellSite(1, 5, 0, "west") };
        var staff = new[] { new StaffMember("E", 0, 0, "east"), new StaffMember("W", 0, 0, "west") };
        // No cross-branch pairs at all: fine, they are never used.
        var r = StaffAssigner.Assign(cells, staff, costs: new TravelCostMatrix([("E", 0, 10.0), ("W", 1, 20.0)]));
        Assert.Equal("E", r.StaffOf[0]);
        Assert.Equal("W", r.StaffOf[1]);
        var e = Assert.Throws<ArgumentException>(() => StaffAssigner.Assign(cells, staff, costs: new TravelCostMatrix([("E", 0, 10.0)])));
        Assert.Contains("'W' to cell 1", e.Message);
        // A pin needs its pair too.
        Assert.Throws<ArgumentException>(() => StaffAssigner.Assign(cells, staff, new Dictionary<int, string> { [1] = "W" }, new TravelCostMatrix([("E", 0, 10.0)])));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(2e9)]
    public void TravelCostMatrix_ImpossibleCost_IsRejected(double metres)
    {
        var e = Assert.Throws<ArgumentException>(() => new TravelCostMatrix([("A", 0, metres)]));
        Assert.Contains("staff 'A' to cell 0", e.Message);
    }

    [Fact]
    public void TravelCostMatrix_PairListedTwice_IsRejected_UnknownPairIsNotFound()
    {
        Assert.Throws<ArgumentException>(() => new TravelCostMatrix([("A", 0, 1.0), ("A", 0, 2.0)]));
        var m = new TravelCostMatrix([("A", 0, 1.0)]);
        Assert.Equal(1, m["A", 0]);
        Assert.Throws<KeyNotFoundException>(() => m["A", 1]);
        Assert.False(m.TryGet("B", 0, out _));
    }

    [Fact]
    public void Property_CostMatrixAssignment_IsAsCheapAsTheBestOfAllOneToOneAssignments()
    {
        // Brute force over every way to give each cell a distinct staff member (or none), staffing as many cells as possible.
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int).Sample((n, m, seed) =>
        {
            var rng = new Random(seed);
            var cells = Enumerable.Range(0, n).Select(i => new CellSite(i, 0, 0)).ToList();
            var staff = Enumerable.Range(0, m).Select(i => new StaffMember($"s{i}", 0, 0)).ToList();
            var cost = new double[m, n];
            for (var s = 0; s < m; s++) for (var c = 0; c < n; c++) cost[s, c] = Math.Round(rng.NextDouble() * 5000, 1);
            var matrix = new TravelCostMatrix(Enumerable.Range(0, m).SelectMany(s => Enumerable.Range(0, n).Select(c => ($"s{s}", c, cost[s, c]))));
            var r = StaffAssigner.Assign(cells, staff, costs: matrix);
            Assert.Equal(Math.Min(n, m), r.StaffOf.Count);
            Assert.Equal(r.StaffOf.Count, r.StaffOf.Values.Distinct().Count());
            Assert.Equal(r.StaffOf.Sum(x => matrix[x.Value, x.Key]), r.TotalDistance, 6);
            Assert.Equal(Best(cost, n, m, 0, new bool[m], 0, Math.Min(n, m)), r.TotalDistance, 6);
        }, iter: 200);
    }

    private static double Best(double[,] cost, int n, int m, int cell, bool[] used, int staffed, int mustStaff)
    {
        if (cell == n) return staffed == mustStaff ? 0 : double.PositiveInfinity;
        var best = Best(cost, n, m, cell + 1, used, staffed, mustStaff);
        for (var s = 0; s < m; s++)
        {
            if (used[s]) continue;
            used[s] = true;
            best = Math.Min(best, cost[s, cell] + Best(cost, n, m, cell + 1, used, staffed + 1, mustStaff));
            used[s] = false;
        }
        return best;
    }
}
