using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>The window-mode packer: coarse units into cells within min–max, K free.</summary>
public class WindowPackerTests
{
    private static void AssertPacking(SubProblem sub, int[]? cells, double lo, double hi)
    {
        Assert.NotNull(cells);
        var k = cells!.Max() + 1;
        for (var c = 0; c < k; c++)
        {
            var members = Enumerable.Range(0, sub.N).Where(u => cells[u] == c).ToList();
            Assert.NotEmpty(members);
            Assert.InRange(members.Sum(u => sub.W[u]), lo, hi);
            var seen = new HashSet<int> { members[0] };
            var stack = new Stack<int>([members[0]]);
            while (stack.Count > 0)
            {
                var u = stack.Pop();
                for (var e = sub.Off[u]; e < sub.Off[u + 1]; e++)
                    if (sub.Conn[e] && cells[sub.Nbr[e]] == c && seen.Add(sub.Nbr[e])) stack.Push(sub.Nbr[e]);
            }
            Assert.Equal(members.Count, seen.Count);
        }
    }

    [Fact]
    public void Pack_CoarseGrid_FillsEveryCellWithinTheWindow()
    {
        // 8 × 6 compounds of 100–250 households (two to four per cell) into cells of 300–500.
        var g = TestGrids.CoarseCompounds(8, 6, 5);
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var cells = WindowPacker.Pack(sub, 300, 500, new Random(1), 20_000, () => false);
        AssertPacking(sub, cells, 300, 500);
    }

    [Fact]
    public void Pack_ImpossibleWindow_ReturnsNull()
    {
        // A strip of three units of 260: any two exceed 500 and one alone is below 300.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(3, 1, (_, _) => 260));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        Assert.Null(WindowPacker.Pack(sub, 300, 500, new Random(1), 500, () => false));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Partition_WindowOnCoarseUnits_GivesEveryCellWithinTheWindow(int seed)
    {
        // Compounds of 100–250 households: two to four per cell of 300–500, K chosen by the engine.
        var g = TestGrids.CoarseCompounds(10, 6, seed * 7);
        var result = CellPartitioner.Partition(g, new PartitionOptions { MinWeight = 300, MaxWeight = 500, Seed = seed });
        Assert.True(result.IsFeasible, result.Message);
        Assert.Empty(result.UndersizeCells);
        Assert.All(result.Evaluation!.Cells, c => { Assert.InRange(c.Weight, 300, 500); Assert.True(c.Contiguous); });
    }
}
