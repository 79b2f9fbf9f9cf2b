using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Search;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>The balance repair and the large-instance path of the engine.</summary>
public class PartitionSearchTests
{
    [Fact]
    public void ChainRepair_MovesWeightThroughFullCells_WhereSingleMovesCannot()
    {
        // A strip of 20 squares of weight 1 in 4 cells of 4–6: cell 0 holds 7, cell 1 holds 6 (full), cell 2 holds 4,
        // cell 3 holds 3. Moving one unit from 0 to 1 only shifts the excess, so balance moves alone are stuck; the
        // excess has to travel 0 → 1 → 2 and the deficit be pulled 2 → 3.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(20, 1));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var search = new PartitionSearch(sub, 4, 4, 6, cutObjective: false, seed: 1);
        var sizes = new[] { 7, 6, 4, 3 };
        var start = sizes.SelectMany((s, c) => Enumerable.Repeat(c, s)).ToArray();
        search.Load(start);
        Assert.False(search.IsBalanced());
        Assert.Equal(0, search.MovePass(balanceOnly: true));

        search.ChainRepair(4, () => false);

        Assert.True(search.IsBalanced(), $"violation left: {search.TotalViolation()}");
        Assert.True(search.AllContiguous());
        var counts = Enumerable.Range(0, 4).Select(c => search.Cell.Count(x => x == c)).ToArray();
        Assert.All(counts, n => Assert.InRange(n, 4, 6));
        // A chain moves units only at the borders it passes: the first units of the strip stay in cell 0.
        Assert.All(Enumerable.Range(0, 5), u => Assert.Equal(0, search.Cell[u]));
    }

    [Fact]
    public void ChainRepair_ChangesNothing_WhenNoCellHasRoom()
    {
        // Two cells of 4–4.5 over 9 units of weight 1: cell 0 holds 5, cell 1 holds 4 and has room for half a unit.
        // No hand-over can help, so the plan must stay exactly as it was (no half-done chain).
        var g = UnitGraphBuilder.Build(TestGrids.Squares(9, 1));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var search = new PartitionSearch(sub, 2, 4, 4.5, cutObjective: false, seed: 1);
        var start = new[] { 0, 0, 0, 0, 0, 1, 1, 1, 1 };
        search.Load(start);
        search.ChainRepair(4, () => false);
        Assert.Equal(start, search.Cell);
        Assert.Equal(0.5, search.TotalViolation(), 9);
    }

    [Fact]
    public void Partition_MoreThan20000Units_IsFeasibleOnEverySeed()
    {
        // 150 × 150 unit squares with log-normal weights (40–900, like compound households) into 375 cells at ±5%:
        // above 20,000 units the engine seeds with coordinate bisection and a power diagram and repairs the balance
        // with ejection chains.
        const int side = 150;
        var rng = new Random(11);
        var ids = new List<string>(); var weights = new List<double>(); var centroids = new List<(double, double)>();
        var edges = new List<(int, int, double)>();
        for (var r = 0; r < side; r++)
            for (var c = 0; c < side; c++)
            {
                var u = r * side + c;
                ids.Add($"u{u}");
                var z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                weights.Add(Math.Round(Math.Clamp(Math.Exp(5.0 + 0.55 * z), 40, 900)));
                centroids.Add((c * 100 + 50, -r * 100 - 50));
                if (c + 1 < side) edges.Add((u, u + 1, 100));
                if (r + 1 < side) edges.Add((u, u + side, 100));
            }
        var n = side * side;
        var g = UnitGraph.FromEdges(ids, weights, Enumerable.Repeat(10_000.0, n).ToList(), Enumerable.Repeat(400.0, n).ToList(), centroids, edges);
        foreach (var seed in new[] { 1, 2 })
        {
            var result = CellPartitioner.Partition(g, new PartitionOptions { Cells = 375, Tolerance = 0.05, Seed = seed, TimeLimit = TimeSpan.FromSeconds(60) });
            Assert.True(result.IsFeasible, result.Message);
            Assert.Equal(375, result.Evaluation!.Cells.Count);
            Assert.All(result.Evaluation.Cells, cell => Assert.True(cell.Contiguous));
            var target = g.TotalWeight / 375;
            Assert.All(result.Evaluation.Cells, cell => Assert.InRange(cell.Weight, 0.95 * target - 1e-6, 1.05 * target + 1e-6));
        }
    }
}
