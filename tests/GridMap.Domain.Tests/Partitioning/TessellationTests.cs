using GridMap.Domain.Partitioning;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>Territories chained from the Voronoi edges between compounds (non-touching footprints).</summary>
public class TessellationTests
{
    private static UnitGraph Tessellate(Geometry area, params string[] wkts) =>
        new UnitGraphBuilder { Tessellation = TessellationMode.Always, Area = area }
            .BuildGraph(wkts.Select((w, i) => new PartitionUnit($"u{i}", TestGrids.Wkt(w), 1)).ToList());

    [Fact]
    public void Territories_OfACompoundEnclosingAnother_HaveAHoleAndTileTheArea()
    {
        // A walled compound shaped like a frame (400 m square with a 200 m courtyard) with a small compound inside
        // its courtyard, and a third compound to the east. The frame's territory must surround the inner one.
        var area = TestGrids.Wkt("POLYGON ((-100 -100, 900 -100, 900 500, -100 500, -100 -100))");
        var g = Tessellate(area,
            "POLYGON ((0 0, 400 0, 400 400, 0 400, 0 0), (100 100, 100 300, 300 300, 300 100, 100 100))",
            "POLYGON ((150 150, 250 150, 250 250, 150 250, 150 150))",
            "POLYGON ((500 0, 800 0, 800 400, 500 400, 500 0))");
        var frame = g.Territories[0]!;
        var inner = g.Territories[1]!;
        Assert.True(frame.IsValid);
        Assert.True(inner.IsValid);
        Assert.Equal(1, ((Polygon)frame).NumInteriorRings);
        var hole = frame.Factory.CreatePolygon((LinearRing)((Polygon)frame).GetInteriorRingN(0));
        Assert.True(hole.Buffer(1e-6).Contains(inner), "the courtyard compound's territory fills the frame's hole");
        Assert.Equal(hole.Area, inner.Area, 6);
        // The territories tile the area: no gaps, no overlaps (same area in total, valid coverage of 3 cells).
        Assert.Equal(area.Area, g.Territories.Sum(t => t!.Area), 3);
        Assert.Empty(CellCoverageBuilder.Validate(g.Territories.Select(t => t!).ToArray()));
        // The inner compound only borders the frame; the east compound only the frame.
        var edges = g.Edges().Select(e => (e.A, e.B)).ToHashSet();
        Assert.Equal(new HashSet<(int, int)> { (0, 1), (0, 2) }, edges);
    }
}
