using GridMap.Domain.Partitioning;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>Small hand-made unit sets and unit graphs for engine tests.</summary>
internal static class TestGrids
{
    public static readonly GeometryFactory Factory = new();
    private static readonly WKTReader Reader = new();

    public static Geometry Wkt(string wkt) => Reader.Read(wkt);

    /// <summary>cols × rows squares of side 100 m that tile the plane (a clean coverage).</summary>
    public static List<PartitionUnit> Squares(int cols, int rows, Func<int, int, double>? weight = null, Func<int, int, string?>? parent = null, double gap = 0)
    {
        var units = new List<PartitionUnit>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                double x = c * 100, y = -r * 100;
                var poly = Factory.CreatePolygon([
                    new Coordinate(x + gap, y - gap), new Coordinate(x + 100 - gap, y - gap), new Coordinate(x + 100 - gap, y - 100 + gap),
                    new Coordinate(x + gap, y - 100 + gap), new Coordinate(x + gap, y - gap)]);
                units.Add(new PartitionUnit($"u{r}_{c}", poly, weight?.Invoke(c, r) ?? 1, parent?.Invoke(c, r)));
            }
        return units;
    }

    /// <summary>The graph of cols × rows square compounds of 100–250 households each (drawn row by row from
    /// <c>new Random(rngSeed)</c>): coarse units, one to four per cell of a 300–500 window, as on a demo street.</summary>
    public static UnitGraph CoarseCompounds(int cols, int rows, int rngSeed)
    {
        var rng = new Random(rngSeed);
        var weights = Enumerable.Range(0, cols * rows).Select(_ => (double)rng.Next(100, 251)).ToArray();
        return UnitGraphBuilder.Build(Squares(cols, rows, (c, r) => weights[r * cols + c]));
    }

    /// <summary>A cols × rows grid of 100 m squares with rook adjacency, built from edges (no geometry) — for exact mode and the p-median polish.</summary>
    public static UnitGraph Rook(int cols, int rows, IReadOnlyList<double> weights)
    {
        var n = cols * rows;
        var edges = new List<(int, int, double)>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var i = r * cols + c;
                if (c + 1 < cols) edges.Add((i, i + 1, 100));
                if (r + 1 < rows) edges.Add((i, i + cols, 100));
            }
        return UnitGraph.FromEdges(Enumerable.Range(0, n).Select(i => $"u{i}").ToList(), weights, Enumerable.Repeat(10_000.0, n).ToList(),
            Enumerable.Repeat(400.0, n).ToList(), Enumerable.Range(0, n).Select(i => (i % cols * 100.0 + 50, -(i / cols) * 100.0 - 50)).ToList(), edges);
    }
}
