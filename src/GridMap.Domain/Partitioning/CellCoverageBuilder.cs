using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Cell polygons from a plan: the union of each cell's unit territories. Territories share edges exactly,
/// so the cells do too and together form a coverage of the area (no gaps or overlaps between cells);
/// <see cref="Validate"/> checks that with NetTopologySuite's <see cref="CoverageValidator"/>.
/// </summary>
public static class CellCoverageBuilder
{
    /// <summary>Polygon of each cell 0..K−1 (metres), K = max cell + 1; empty for a cell with no units.</summary>
    public static Geometry[] Build(UnitGraph graph, IReadOnlyList<int> assignment)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (assignment.Count != graph.Count) throw new ArgumentException($"plan has {assignment.Count} entries for {graph.Count} units.");
        if (graph.Territories.Any(t => t is null)) throw new InvalidOperationException("this graph has no territories (built from edges only).");
        var k = assignment.Count == 0 ? 0 : assignment.Max() + 1;
        var parts = new List<Geometry>[k];
        for (var c = 0; c < k; c++) parts[c] = [];
        for (var u = 0; u < graph.Count; u++) if (assignment[u] >= 0) parts[assignment[u]].Add(graph.Territories[u]!);
        var factory = graph.Territories.First(t => t is not null)!.Factory;
        var result = new Geometry[k];
        for (var c = 0; c < k; c++)
        {
            if (parts[c].Count == 0) { result[c] = factory.CreatePolygon(); continue; }
            Geometry union;
            try
            {
                // Polygons of a coverage (exactly shared edges) union fastest and exactly by coverage union;
                // fall back to a full overlay union for input that is not quite a clean coverage.
                union = NetTopologySuite.Coverage.CoverageUnion.Union(parts[c].ToArray());
                if (!union.IsValid) union = UnaryUnionNG.Union(factory.BuildGeometry(parts[c]), new PrecisionModel());
            }
            catch (Exception e) when (e is TopologyException or ArgumentException or InvalidOperationException)
            {
                union = UnaryUnionNG.Union(factory.BuildGeometry(parts[c]), new PrecisionModel());
            }
            result[c] = union;
        }
        return result;
    }

    /// <summary>Indices of cells whose edges do not match their neighbours' (overlaps, gaps narrower than
    /// <paramref name="gapWidth"/> metres, mismatched vertices). Empty for a valid coverage.</summary>
    public static IReadOnlyList<int> Validate(IReadOnlyList<Geometry> cells, double gapWidth = 0)
    {
        var input = cells.Where(c => !c.IsEmpty).ToArray();
        var index = cells.Select((c, i) => (c, i)).Where(x => !x.c.IsEmpty).Select(x => x.i).ToArray();
        var invalid = gapWidth > 0 ? CoverageValidator.Validate(input, gapWidth) : CoverageValidator.Validate(input);
        var bad = new List<int>();
        for (var i = 0; i < invalid.Length; i++) if (invalid[i] is not null) bad.Add(index[i]);
        return bad;
    }
}
