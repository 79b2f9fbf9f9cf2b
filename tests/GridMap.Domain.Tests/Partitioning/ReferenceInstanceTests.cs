using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>The published districting instances (Validi &amp; Buchanan): optima 33 (Iowa k=4) and 26 (NH k=2) cut edges at ±0.5%.</summary>
public class ReferenceInstanceTests
{
    [Theory]
    [InlineData("iowa", 4, 35)]
    [InlineData("nh", 2, 28)]
    public void CutEdgesObjective_OnPublishedInstance_IsFeasibleAndNearTheOptimum(string which, int k, int maxCut)
    {
        var (_, g) = PartitionData.Load(which == "iowa" ? PartitionData.IowaShp : PartitionData.NhShp);
        var r = CellPartitioner.Partition(g, new PartitionOptions { Cells = k, Tolerance = 0.005, Objective = PartitionObjective.CutEdges, Seed = 1, TimeLimit = TimeSpan.FromSeconds(60) });
        Assert.True(r.IsFeasible, r.Message);
        Assert.True(r.Evaluation!.MaxDeviation <= 0.005, $"deviation {r.Evaluation.MaxDeviation}");
        Assert.True(r.Evaluation.CutEdges <= maxCut, $"{r.Evaluation.CutEdges} cut edges > {maxCut}");
    }

    [Fact]
    public void Iowa_TotalPopulation_MatchesTheDualGraph()
    {
        var (_, g) = PartitionData.Load(PartitionData.IowaShp);
        Assert.Equal(3_046_355, g.TotalWeight);
    }

    [Fact]
    public void CompactObjective_OnIowa_IsFeasibleAndCellsFormACoverage()
    {
        var (_, g) = PartitionData.Load(PartitionData.IowaShp);
        var r = CellPartitioner.Partition(g, new PartitionOptions { Cells = 4, Tolerance = 0.005, Seed = 2, TimeLimit = TimeSpan.FromSeconds(60) });
        Assert.True(r.IsFeasible, r.Message);
        var cells = CellCoverageBuilder.Build(g, r.Assignment);
        Assert.Empty(CellCoverageBuilder.Validate(cells));
    }
}
