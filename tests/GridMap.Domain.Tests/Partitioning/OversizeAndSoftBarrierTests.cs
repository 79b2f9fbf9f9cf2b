using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>Window mode with units heavier than the maximum (oversize cells) and soft barriers.</summary>
public class OversizeAndSoftBarrierTests
{
    private static List<int> Members(PartitionResult r, int c) => Enumerable.Range(0, r.Assignment.Count).Where(u => r.Assignment[u] == c).ToList();

    private static double Weight(UnitGraph g, PartitionResult r, int c) => Members(r, c).Sum(u => g.Weights[u]);

    /// <summary>The planner's default window, 300–500 per cell.</summary>
    private static PartitionResult Window(UnitGraph g, BarrierMode barriers = BarrierMode.Hard, bool nest = false) =>
        CellPartitioner.Partition(g, new PartitionOptions { MinWeight = 300, MaxWeight = 500, Barriers = barriers, Nest = nest });

    /// <summary>Contiguity checked independently of the engine: BFS over edges that connect in the original graph,
    /// plus only the crossings the result reports.</summary>
    private static void AssertContiguousWithOnlyReportedCrossings(UnitGraph g, PartitionResult r)
    {
        var allowed = r.BarrierCrossings.Select(c => (Math.Min(c.A, c.B), Math.Max(c.A, c.B))).ToHashSet();
        for (var c = 0; c < r.CellCount; c++)
        {
            var members = Members(r, c);
            Assert.NotEmpty(members);
            var seen = new HashSet<int> { members[0] };
            var stack = new Stack<int>([members[0]]);
            while (stack.Count > 0)
            {
                var u = stack.Pop();
                foreach (var (v, _, conn) in g.Neighbours(u))
                    if ((conn || allowed.Contains((Math.Min(u, v), Math.Max(u, v)))) && r.Assignment[v] == c && seen.Add(v)) stack.Push(v);
            }
            Assert.True(seen.Count == members.Count, $"cell {c} is not contiguous without crossing an unreported barrier");
        }
    }

    [Fact]
    public void Window_UnitHeavierThanTheMaximum_BecomesAnOversizeCellAndTheRestIsBalanced()
    {
        // A row of five 100 m squares: 600 households, then four of 200. Window 300–500.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(5, 1, (c, _) => c == 0 ? 600 : 200));
        var r = Window(g);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Equal(3, r.CellCount);
        var over = Assert.Single(r.OversizeCells);
        Assert.Equal("u0_0", over.UnitId);
        Assert.Empty(over.AttachedUnits);
        Assert.Equal([0], Members(r, over.Cell));
        Assert.Equal(600, Weight(g, r, over.Cell));
        for (var c = 0; c < r.CellCount; c++)
            if (c != over.Cell) Assert.Equal(400, Weight(g, r, c));
        var ev = r.Evaluation!;
        Assert.True(ev.WithinBounds);
        Assert.Equal(1, ev.OversizeCells);
        Assert.True(ev.Cells.Single(s => s.Cell == over.Cell).Oversize);
        Assert.Contains(r.Warnings, w => w.Contains("u0_0") && w.Contains("oversize"));
    }

    [Fact]
    public void Window_LightUnitsNoNeighbourCanJoin_AreUndersizeCellsOfTheirOwn()
    {
        // 200 | 900 | 200: the light ends touch only the heavy middle (200 + 900 > 500), so no cell within the window
        // can hold them: each is an undersize cell, the middle an oversize one.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(3, 1, (c, _) => c == 1 ? 900 : 200));
        var r = Window(g);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Equal(3, r.CellCount);
        Assert.Equal("u0_1", Assert.Single(r.OversizeCells).UnitId);
        Assert.Equal([["u0_0"], ["u0_2"]], r.UndersizeCells.Select(c => c.Units.ToArray()).OrderBy(u => u[0]).ToArray());
        Assert.Equal(2, r.Evaluation!.UndersizeCells);
        Assert.True(r.Evaluation.WithinBounds);
    }

    [Fact]
    public void Window_LightUnitWithAPartnerWithinTheMaximum_IsNotLeftAlone()
    {
        // 200 | 250 | 900: 200 + 250 = 450 fits, so the two light units must share a cell (no undersize cell).
        var g = UnitGraphBuilder.Build(TestGrids.Squares(3, 1, (c, _) => c switch { 0 => 200, 1 => 250, _ => 900 }));
        var r = Window(g);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Empty(r.UndersizeCells);
        Assert.Equal(r.Assignment[0], r.Assignment[1]);
        Assert.Equal(450, Weight(g, r, r.Assignment[0]));
    }

    [Fact]
    public void Window_LightGroupCutOffByAnOversizeUnit_JoinsItsCell()
    {
        // 100 | 100 | 900: the light pair could share a cell (200) but is below the minimum and can reach no other
        // unit: it joins the oversize cell rather than fail.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(3, 1, (c, _) => c == 2 ? 900 : 100));
        var r = Window(g);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Equal(1, r.CellCount);
        var over = Assert.Single(r.OversizeCells);
        Assert.Equal(["u0_0", "u0_1"], over.AttachedUnits);
        Assert.Equal(1100, over.CellWeight);
    }

    [Fact]
    public void Evaluator_CellOverTheMaximumWithoutAnOversizeUnit_IsStillABalanceViolation()
    {
        var g = UnitGraphBuilder.Build(TestGrids.Squares(3, 1, (_, _) => 200));
        var ev = PlanEvaluator.Evaluate(g, [0, 0, 0], 300, 500, 400);
        Assert.False(ev.WithinBounds);
        Assert.Equal(0, ev.OversizeCells);
    }

    [Fact]
    public void CellsMode_UnitHeavierThanTheLargestCell_StillFails()
    {
        var g = UnitGraphBuilder.Build(TestGrids.Squares(4, 1, (c, _) => c == 0 ? 900 : 100));
        var r = CellPartitioner.Partition(g, new PartitionOptions { Cells = 2, Tolerance = 0.05 });
        Assert.False(r.IsFeasible);
        Assert.Equal(PartitionConstraint.Balance, r.FailedConstraint);
    }

    // 4 × 2 squares of 100 households with a road between the first and second column: the west group (200)
    // cannot be a cell of 300–500 on its own.
    private static UnitGraph FencedIn() => UnitGraphBuilder.Build(TestGrids.Squares(4, 2, (_, _) => 100, gap: 10),
        [TestGrids.Wkt("LINESTRING (100 50, 100 -250)")]);

    [Fact]
    public void HardBarriers_FencedInGroupTooLightForACell_Fails()
    {
        var r = Window(FencedIn());
        Assert.False(r.IsFeasible);
        Assert.Equal(PartitionConstraint.Contiguity, r.FailedConstraint);
        Assert.Empty(r.BarrierCrossings);
    }

    [Fact]
    public void SoftBarriers_FencedInGroup_IsJoinedAcrossOneCrossingAndReported()
    {
        var g = FencedIn();
        Assert.True(g.GeometricEdgeCount - g.EdgeCount >= 2, "the road cuts both rows"); // (and the tessellation's diagonal)
        var r = Window(g, BarrierMode.Soft);
        Assert.True(r.IsFeasible, r.Message);
        var crossing = Assert.Single(r.BarrierCrossings);
        Assert.True(g.X[crossing.A] < 100 != g.X[crossing.B] < 100, "the crossing must span the road");
        Assert.False(g.Neighbours(crossing.A).Single(x => x.Neighbour == crossing.B).IsConnected);
        Assert.Equal(2, r.CellCount);
        for (var c = 0; c < 2; c++) Assert.InRange(Weight(g, r, c), 300, 500);
        AssertContiguousWithOnlyReportedCrossings(g, r);
        Assert.Contains(r.Warnings, w => w.Contains("barrier crossing"));
    }

    [Fact]
    public void SoftBarriers_WhereEveryGroupIsDivisible_GiveTheHardPlanAndNoCrossing()
    {
        var units = TestGrids.Squares(10, 6, gap: 10);
        var g = UnitGraphBuilder.Build(units, [TestGrids.Wkt("LINESTRING (500 100, 500 -700)")]);
        var hard = CellPartitioner.Partition(g, new PartitionOptions { MinWeight = 12, MaxWeight = 18 });
        var soft = CellPartitioner.Partition(g, new PartitionOptions { MinWeight = 12, MaxWeight = 18, Barriers = BarrierMode.Soft });
        Assert.True(hard.IsFeasible, hard.Message);
        Assert.True(soft.IsFeasible, soft.Message);
        Assert.Empty(soft.BarrierCrossings);
        Assert.Equal(hard.Assignment, soft.Assignment);
    }

    [Fact]
    public void SoftBarriers_WithNesting_NeverCrossAParent()
    {
        // The road and the parent boundary coincide: crossing it would mix parents, so the light parent (200) is not
        // joined to anything; with soft barriers it becomes one undersize cell (with hard barriers the run fails).
        var units = TestGrids.Squares(4, 2, (_, _) => 100, parent: (c, _) => c < 1 ? "west" : "east", gap: 10);
        var g = UnitGraphBuilder.Build(units, [TestGrids.Wkt("LINESTRING (100 50, 100 -250)")]);
        var r = Window(g, BarrierMode.Soft, nest: true);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Empty(r.BarrierCrossings);
        var under = Assert.Single(r.UndersizeCells);
        Assert.Equal(["u0_0", "u1_0"], under.Units);
        for (var c = 0; c < r.CellCount; c++) Assert.Single(Members(r, c).Select(u => g.Parents[u]).Distinct());
        var hard = Window(g, nest: true);
        Assert.Equal(PartitionConstraint.Nesting, hard.FailedConstraint);
        Assert.Contains("west", hard.Message);
    }

    [Fact]
    public void SoftBarriers_FragmentWhoseOnlyCrossingLeadsToAnOversizeUnit_JoinsThatCell()
    {
        // Row of 7 squares, road between columns 1 and 2: west = [100, 100] (too light for a cell), then a 700 unit,
        // then four of 150 (two cells of 300). The west pair's only neighbour across the road is the oversize unit.
        var units = TestGrids.Squares(7, 1, (c, _) => c == 2 ? 700 : c < 2 ? 100 : 150, gap: 10);
        var g = UnitGraphBuilder.Build(units, [TestGrids.Wkt("LINESTRING (200 50, 200 -150)")]);
        var r = Window(g, BarrierMode.Soft);
        Assert.True(r.IsFeasible, r.Message);
        var over = Assert.Single(r.OversizeCells);
        Assert.Equal("u0_2", over.UnitId);
        Assert.Equal(["u0_0", "u0_1"], over.AttachedUnits);
        Assert.Equal(900, over.CellWeight);
        var crossing = Assert.Single(r.BarrierCrossings);
        Assert.Equal(("u0_1", "u0_2"), (crossing.UnitA, crossing.UnitB));
        Assert.Equal(3, r.CellCount);
        AssertContiguousWithOnlyReportedCrossings(g, r);
    }

    // 2 × 2 squares: top row 250 | 150 with a short road between them, bottom row 400 | 400. The 250 can only share a
    // cell within 500 with the 150 across the road.
    private static UnitGraph LightUnitByARoad() => UnitGraphBuilder.Build(
        TestGrids.Squares(2, 2, (c, r) => r == 1 ? 400 : c == 0 ? 250 : 150), [TestGrids.Wkt("LINESTRING (100 -10, 100 -90)")]);

    [Fact]
    public void SoftBarriers_LightUnitWhosePartnerIsAcrossARoad_CrossesThere()
    {
        var g = LightUnitByARoad();
        var r = Window(g, BarrierMode.Soft);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Empty(r.UndersizeCells);
        var crossing = Assert.Single(r.BarrierCrossings);
        Assert.Equal(("u0_0", "u0_1"), (crossing.UnitA, crossing.UnitB));
        Assert.Equal(3, r.CellCount);
        for (var c = 0; c < 3; c++) Assert.Equal(400, Weight(g, r, c));
        AssertContiguousWithOnlyReportedCrossings(g, r);
    }

    [Fact]
    public void HardBarriers_LightUnitsWithoutAPartnerOnTheirSide_AreUndersizeCells()
    {
        var g = LightUnitByARoad();
        var r = Window(g);
        Assert.True(r.IsFeasible, r.Message);
        Assert.Empty(r.BarrierCrossings);
        Assert.Equal(["u0_0", "u0_1"], r.UndersizeCells.Select(c => Assert.Single(c.Units)).Order().ToArray());
        Assert.Equal(4, r.CellCount);
        AssertContiguousWithOnlyReportedCrossings(g, r);
    }
}
