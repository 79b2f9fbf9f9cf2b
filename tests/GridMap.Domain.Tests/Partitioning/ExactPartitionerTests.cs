using CsCheck;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Exact;

namespace GridMap.Domain.Tests.Partitioning;

public class ExactPartitionerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static UnitGraph Grid(int cols, int rows, IReadOnlyList<double> weights) => TestGrids.Rook(cols, rows, weights);

    [Theory]
    [InlineData(10, 3, 7)]     // the plan's solve took 3 s of 10: the window search gets the 7 s left
    [InlineData(10, 9.5, 1)]   // almost nothing left: it still gets a tenth of the limit
    [InlineData(10, 25, 1)]    // over the limit already (the planner's heuristic overran): a tenth, never zero or negative
    [InlineData(60, 0, 60)]
    public void Remaining_IsWhatIsLeftOfTheLimit_ButAtLeastATenth(double limit, double elapsed, double expected)
    {
        var left = ExactPartitioner.Remaining(TimeSpan.FromSeconds(limit), TimeSpan.FromSeconds(elapsed));
        Assert.Equal(expected, left.TotalSeconds, 9);
    }

    [Fact]
    public void Exact_ThreeUnitsInARow_260_200_260_InWindow300To500_IsProvedImpossible_WithSmallestWindow260To500()
    {
        var g = Grid(3, 1, [260, 200, 260]);
        var options = new PartitionOptions { MinWeight = 300, MaxWeight = 500, TimeLimit = TimeSpan.FromSeconds(5) };
        var heuristic = CellPartitioner.Partition(g, options);
        Assert.False(heuristic.IsFeasible);

        var exact = ExactPartitioner.Solve(g, options, heuristic, Limit);

        Assert.Equal(ExactStatus.Impossible, exact.Status);
        Assert.Equal("impossible", exact.StatusName);
        Assert.Null(exact.Plan);
        // Lowering the minimum to 260 ({260+200}, {260}) widens the window by 40; raising the maximum would take 220.
        Assert.Equal(new ExactWindow(260, 500), exact.SmallestWindow);
        Assert.True(exact.SmallestWindowProved);
        Assert.Contains("300–500", exact.Reason);
        Assert.Contains("260–500", exact.Reason);
        Assert.NotNull(exact.HeuristicObjective);
    }

    [Fact]
    public void Exact_WhenAPlanExists_FindsTheBruteForceOptimum()
    {
        // 3 × 3 grid, window 8–12: several contiguous plans; the optimum by enumeration of all 21,147 partitions.
        double[] w = [3, 5, 4, 2, 6, 3, 4, 1, 5];
        var g = Grid(3, 3, w);
        var options = new PartitionOptions { MinWeight = 8, MaxWeight = 12 };
        var brute = BruteForce(g, options);
        Assert.NotNull(brute.Best);

        var exact = ExactPartitioner.Solve(g, options, CellPartitioner.Partition(g, options), Limit);

        Assert.Equal(ExactStatus.Optimal, exact.Status);
        Assert.Equal(0, exact.Gap);
        AssertSameObjective(g, brute.Best!.Value, exact.Objective!.Value);
        Assert.True(exact.Plan!.IsFeasible);
        Assert.True(exact.Objective <= exact.HeuristicObjective + 1e-3, "the exact optimum is at least as compact as the heuristic's plan");
    }

    [Fact]
    public void Exact_WithKCells_FindsTheBruteForceOptimum()
    {
        double[] w = [2, 2, 3, 1, 4, 2, 2, 3];
        var g = Grid(4, 2, w);
        var options = new PartitionOptions { Cells = 3, Tolerance = 0.3 };
        var brute = BruteForce(g, options);
        Assert.NotNull(brute.Best);

        var exact = ExactPartitioner.Solve(g, options, CellPartitioner.Partition(g, options), Limit);

        Assert.Equal(ExactStatus.Optimal, exact.Status);
        AssertSameObjective(g, brute.Best!.Value, exact.Objective!.Value);
        Assert.Equal(3, exact.Plan!.CellCount);
        Assert.True(exact.Plan.IsFeasible);
    }

    [Fact]
    public void Exact_UnitHeavierThanTheLargestCell_WithKCells_IsImpossibleByTheCheapCheck()
    {
        var g = Grid(4, 1, [10, 1, 1, 1]);
        var exact = ExactPartitioner.Solve(g, new PartitionOptions { Cells = 2, Tolerance = 0.1 }, null, Limit);
        Assert.Equal(ExactStatus.Impossible, exact.Status);
        Assert.Contains("'u0'", exact.Reason);
    }

    [Fact]
    public void Exact_Nesting_KeepsCellsInsideParents()
    {
        // Six units in a row in two parents of three; without nesting three pairs are the most compact plan.
        var ids = Enumerable.Range(0, 6).Select(i => $"u{i}").ToList();
        var g = UnitGraph.FromEdges(ids, Enumerable.Repeat(2.0, 6).ToList(), Enumerable.Repeat(1.0, 6).ToList(), Enumerable.Repeat(4.0, 6).ToList(),
            Enumerable.Range(0, 6).Select(i => (i * 100.0, 0.0)).ToList(), Enumerable.Range(0, 5).Select(i => (i, i + 1, 1.0)).ToList(),
            ["p", "p", "p", "q", "q", "q"]);
        var flat = ExactPartitioner.Solve(g, new PartitionOptions { MinWeight = 4, MaxWeight = 6 }, null, Limit);
        Assert.Equal(3, flat.Plan!.CellCount);

        var nested = ExactPartitioner.Solve(g, new PartitionOptions { MinWeight = 4, MaxWeight = 6, Nest = true }, null, Limit);

        Assert.Equal(ExactStatus.Optimal, nested.Status);
        var a = nested.Plan!.Assignment;
        Assert.Equal(2, nested.Plan.CellCount);
        Assert.True(a[0] == a[1] && a[1] == a[2] && a[3] == a[4] && a[4] == a[5] && a[2] != a[3]);
    }

    [Fact]
    public void Exact_LockedCells_AreKeptAndTheRestSolved()
    {
        var g = Grid(4, 1, [2, 2, 2, 2]);
        var plan = new Dictionary<string, int> { ["u0"] = 0, ["u1"] = 0, ["u2"] = 1, ["u3"] = 1 };
        var options = new PartitionOptions { Cells = 3, Tolerance = 0.5, InitialPlan = plan, LockedCells = new HashSet<int> { 0 } };
        var exact = ExactPartitioner.Solve(g, options, null, Limit);
        Assert.Equal(ExactStatus.Optimal, exact.Status);
        var a = exact.Plan!.Assignment;
        Assert.Equal(0, a[0]);
        Assert.Equal(0, a[1]);
        Assert.NotEqual(a[2], a[3]);
        Assert.DoesNotContain(0, new[] { a[2], a[3] });
    }

    [Fact]
    public void Property_EveryExactPlanIsContiguousAndInTheWindow_AndImpossibleOnlyWhenNoPlanExists()
    {
        Gen.Select(Gen.Int[2, 3], Gen.Int[2, 3], Gen.Int[0, 100_000])
            .Sample((cols, rows, seed) =>
            {
                var rng = new Random(seed);
                var w = Enumerable.Range(0, cols * rows).Select(_ => (double)rng.Next(1, 6)).ToArray();
                var min = rng.Next(3, 9);
                var max = min + rng.Next(1, 5);
                if (w.Max() > max) max = (int)w.Max(); // no oversize units: the enumeration below knows no exception cells for them
                var g = Grid(cols, rows, w);
                var options = new PartitionOptions { MinWeight = min, MaxWeight = max };
                var exact = ExactPartitioner.Solve(g, options, CellPartitioner.Partition(g, new PartitionOptions { MinWeight = min, MaxWeight = max, TimeLimit = TimeSpan.FromSeconds(2) }), Limit);
                var brute = BruteForce(g, options);
                if (brute.Best is { } best)
                {
                    Assert.Equal(ExactStatus.Optimal, exact.Status);
                    var ev = exact.Plan!.Evaluation!;
                    Assert.True(ev.AllContiguous);
                    Assert.True(ev.WithinBounds);
                    Assert.Equal(0, ev.UnassignedUnits);
                    Assert.True(exact.Plan.IsFeasible);
                    AssertSameObjective(g, best, exact.Objective!.Value);
                }
                else
                {
                    Assert.Equal(ExactStatus.Impossible, exact.Status);
                    Assert.True(exact.SmallestWindowProved);
                    var window = exact.SmallestWindow!;
                    Assert.Equal(brute.SmallestWidening, (min - window.MinHouseholds) + (window.MaxHouseholds - max), 6);
                }
            }, iter: 30);
    }

    /// <summary>The model's costs are households × metres rounded to integers, so its optimum may differ from the true
    /// one by at most ½ per unit: n / (2 Σ households) metres on the mean distance (+ the 3-decimal rounding of the report).</summary>
    private static void AssertSameObjective(UnitGraph g, double best, double exact)
    {
        var slack = g.Count / (2 * g.TotalWeight) + 1e-3;
        Assert.InRange(exact, best - 1e-3, best + slack);
    }

    /// <summary>Every partition of the units into contiguous cells (restricted growth strings): the least
    /// households-weighted mean distance to the best centre among plans within the bounds (null when none), and the least
    /// widening (min − min′) + (max′ − max) over all plans. Light units (below the minimum, no neighbour can join them
    /// within the maximum) must stand alone and are exempt from the minimum, as in the engine.</summary>
    private static (double? Best, double SmallestWidening) BruteForce(UnitGraph g, PartitionOptions options)
    {
        var n = g.Count;
        var (lower, upper, _) = new CellPartitioner(options).Bounds(g);
        var nbrs = Enumerable.Range(0, n).Select(i => g.Neighbours(i).Where(x => x.IsConnected).Select(x => x.Neighbour).ToArray()).ToArray();
        var light = Enumerable.Range(0, n).Select(i => options.IsWindow && g.Weights[i] < lower && nbrs[i].All(j => g.Weights[i] + g.Weights[j] > upper)).ToArray();
        double? best = null;
        var widening = double.PositiveInfinity;
        var a = new int[n];
        void Visit(int i, int k)
        {
            if (i == n) { Score(k); return; }
            for (var c = 0; c <= k; c++) { a[i] = c; Visit(i + 1, Math.Max(k, c + 1)); }
        }
        void Score(int k)
        {
            if (options.Cells is { } kk && k != kk) return;
            var cells = Enumerable.Range(0, k).Select(c => Enumerable.Range(0, n).Where(u => a[u] == c).ToList()).ToList();
            double lo = double.PositiveInfinity, hi = 0;
            foreach (var cell in cells)
            {
                if (cell.Any(u => light[u]) && cell.Count > 1) return;
                if (!Connected(cell)) return;
                var weight = cell.Sum(u => g.Weights[u]);
                hi = Math.Max(hi, weight);
                if (!(cell.Count == 1 && light[cell[0]])) lo = Math.Min(lo, weight);
            }
            widening = Math.Min(widening, Math.Max(0, lower - lo) + Math.Max(0, hi - upper));
            if (lo < lower - 1e-9 || hi > upper + 1e-9) return;
            double num = 0;
            foreach (var cell in cells)
                num += cell.Min(c => cell.Sum(u => g.Weights[u] * Math.Sqrt(Math.Pow(g.X[u] - g.X[c], 2) + Math.Pow(g.Y[u] - g.Y[c], 2))));
            var mean = num / g.TotalWeight;
            if (best is null || mean < best) best = mean;
        }
        bool Connected(List<int> cell)
        {
            var seen = new HashSet<int> { cell[0] };
            var queue = new Queue<int>([cell[0]]);
            while (queue.TryDequeue(out var u))
                foreach (var v in nbrs[u])
                    if (a[v] == a[u] && seen.Add(v)) queue.Enqueue(v);
            return seen.Count == cell.Count;
        }
        Visit(0, 0);
        return (best, widening);
    }
}
