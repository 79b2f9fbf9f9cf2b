using GridMap.Domain.Partitioning;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Partitioning;

public class UnitGraphBuilderTests
{
    private static UnitGraph Graph(params string[] wkts) =>
        new UnitGraphBuilder { Tessellation = TessellationMode.Never }.BuildGraph(wkts.Select((w, i) => new PartitionUnit($"u{i}", TestGrids.Wkt(w), 1)).ToList());

    [Fact]
    public void Build_SquaresSharingAnEdge_AreAdjacentWithTheSharedLength()
    {
        var g = Graph("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))");
        var e = Assert.Single(g.Edges());
        Assert.Equal((0, 1), (e.A, e.B));
        Assert.Equal(10, e.SharedLength, 9);
    }

    [Fact]
    public void Build_SquaresTouchingAtOneCorner_AreNotAdjacent()
    {
        var g = Graph("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((10 10, 20 10, 20 20, 10 20, 10 10))");
        Assert.Empty(g.Edges());
    }

    [Fact]
    public void Build_NeighbourWithVertexInTheMiddleOfAnEdge_IsStillAdjacent()
    {
        // The right square's edge (10 0)-(10 10) carries no vertex at (10 5), the left two do: a T-junction.
        var g = Graph("POLYGON ((0 0, 10 0, 10 5, 0 5, 0 0))", "POLYGON ((0 5, 10 5, 10 10, 0 10, 0 5))", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))");
        var edges = g.Edges().ToDictionary(e => (e.A, e.B), e => e.SharedLength);
        Assert.Equal(3, edges.Count);
        Assert.Equal(5, edges[(0, 2)], 6);
        Assert.Equal(5, edges[(1, 2)], 6);
    }

    [Fact]
    public void Build_WithBarrierBetweenUnits_CutsTheirAdjacencyButKeepsTheSharedLength()
    {
        var units = TestGrids.Squares(2, 1);
        var road = TestGrids.Wkt("LINESTRING (100 50, 100 -150)");
        var g = UnitGraphBuilder.Build(units, [road]);
        Assert.Empty(g.Edges());
        Assert.Equal(1, g.GeometricEdgeCount);
        Assert.Equal(100, Assert.Single(g.Neighbours(0)).SharedLength, 6);
    }

    [Fact]
    public void Build_CompoundsSeparatedByRoads_TessellateIntoAValidCoverageThatContainsThem()
    {
        var units = TestGrids.Squares(5, 4, gap: 12);
        var g = UnitGraphBuilder.Build(units);
        Assert.True(g.IsTessellated);
        var territories = g.Territories.Select(t => t!).ToArray();
        Assert.Empty(CellCoverageBuilder.Validate(territories));
        // Grid neighbours (including across the road) are adjacent: 4·4 + 5·3 = 31 rook edges at least.
        Assert.True(g.EdgeCount >= 31, $"{g.EdgeCount} edges");
        for (var i = 0; i < units.Count; i++)
            Assert.True(territories[i].Buffer(1e-6).Contains(units[i].Geometry), $"territory {i} does not contain its compound");
        var hullArea = TestGrids.Factory.BuildGeometry(territories).Union().Area;
        Assert.Equal(hullArea, territories.Sum(t => t.Area), 3);
    }

    [Fact]
    public void Build_DuplicateIds_AreRejected()
    {
        var units = TestGrids.Squares(2, 1);
        var dup = new List<PartitionUnit> { units[0], new("u0_0", units[1].Geometry, 1) };
        Assert.Throws<ArgumentException>(() => UnitGraphBuilder.Build(dup));
    }

    [Fact]
    public void Unit_WithNegativeWeightOrLineGeometry_IsRejected()
    {
        var square = TestGrids.Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))");
        Assert.Throws<ArgumentOutOfRangeException>(() => new PartitionUnit("a", square, -1));
        Assert.Throws<ArgumentException>(() => new PartitionUnit("a", TestGrids.Wkt("LINESTRING (0 0, 1 1)"), 1));
    }
}
