using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

public class UnitGraphReferenceTests
{
    [Theory]
    [InlineData("iowa")]
    [InlineData("nh")]
    public void Build_OnCensusShapefile_ReproducesPublishedDualGraph(string which)
    {
        var (shp, json) = which == "iowa" ? (PartitionData.IowaShp, PartitionData.IowaJson) : (PartitionData.NhShp, PartitionData.NhJson);
        var (_, graph) = PartitionData.Load(shp);
        var reference = PartitionData.ReferenceEdges(json);
        var ours = graph.Edges().Select(e => PartitionData.Pair(graph.Ids[e.A], graph.Ids[e.B])).ToHashSet();
        var missing = reference.Except(ours).ToList();
        var extra = ours.Except(reference).ToList();
        Assert.False(graph.IsTessellated);
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{which}: {ours.Count} edges vs {reference.Count} published; missing {string.Join(" ", missing.Take(10))}; extra {string.Join(" ", extra.Take(10))}");
    }
}
