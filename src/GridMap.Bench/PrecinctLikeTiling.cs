using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;

namespace GridMap.Bench;

/// <summary>
/// A stand-in for a state's voting precincts (the real Minnesota file the issue timed is not in shared/data): units
/// that tile the area exactly, as precinct and tract files do, with digitised (many-vertex) boundaries and some
/// T-junctions. Voronoi cells of points clustered like population (dense towns, sparse countryside) in a 400 × 300 km
/// rectangle; every shared edge is densified with the same wiggling vertices on both sides (a clean coverage:
/// exact segment matching finds it), and on about one edge in twelve only one side carries the vertices, placed
/// on the straight segment of the other side (a T-junction edge: only the geometric pass finds it). Weights are
/// log-normal "population" higher in towns. Metres; deterministic for a seed.
/// </summary>
internal static class PrecinctLikeTiling
{
    public static List<GridMap.Domain.Partitioning.PartitionUnit> Generate(int count, int seed, int verticesPerEdge = 24)
    {
        var rng = new Random(seed);
        var factory = new GeometryFactory(new PrecisionModel(), 0);
        const double width = 400_000, height = 300_000;
        var towns = Enumerable.Range(0, 40).Select(_ => (X: rng.NextDouble() * width, Y: rng.NextDouble() * height, R: 3_000 + rng.NextDouble() * 15_000)).ToArray();
        var pts = new List<Coordinate>(count);
        var seen = new HashSet<(double, double)>();
        while (pts.Count < count)
        {
            double x, y;
            if (rng.NextDouble() < 0.55)
            {
                var t = towns[rng.Next(towns.Length)];
                x = t.X + Normal(rng) * t.R; y = t.Y + Normal(rng) * t.R;
                if (x < 0 || y < 0 || x > width || y > height) continue;
            }
            else { x = rng.NextDouble() * width; y = rng.NextDouble() * height; }
            x = Math.Round(x, 1); y = Math.Round(y, 1);
            if (seen.Add((x, y))) pts.Add(new Coordinate(x, y));
        }
        var builder = new VoronoiDiagramBuilder { ClipEnvelope = new Envelope(0, width, 0, height) };
        builder.SetSites(pts);
        var diagram = builder.GetDiagram(factory);
        var frame = factory.ToGeometry(new Envelope(0, width, 0, height));
        var units = new List<GridMap.Domain.Partitioning.PartitionUnit>(count);
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            var cell = diagram.GetGeometryN(i);
            if (!frame.Contains(cell)) cell = cell.Intersection(frame);
            if (cell is not Polygon poly || poly.IsEmpty) continue;
            var ring = Densify(poly.ExteriorRing.Coordinates, verticesPerEdge, width, height);
            var p = factory.CreatePolygon(ring);
            if (!p.IsValid) p = factory.CreatePolygon(poly.ExteriorRing.Coordinates);
            var site = (Coordinate)cell.UserData ?? cell.InteriorPoint.Coordinate;
            var urban = towns.Max(t => Math.Exp(-((site.X - t.X) * (site.X - t.X) + (site.Y - t.Y) * (site.Y - t.Y)) / (2 * t.R * t.R)));
            var population = Math.Round(Math.Clamp(Math.Exp(6.6 + 0.5 * Normal(rng) + 0.8 * urban), 50, 20_000));
            units.Add(new GridMap.Domain.Partitioning.PartitionUnit($"P{i:00000}", p, population));
        }
        return units;
    }

    /// <summary>Each edge gets the same wiggle on both sides (computed from the edge's end points in canonical order);
    /// on a T-junction edge, only the side that walks it in canonical order gets its (straight) vertices.</summary>
    private static Coordinate[] Densify(Coordinate[] ring, int perEdge, double width, double height)
    {
        var result = new List<Coordinate>(ring.Length * (perEdge + 1));
        for (var k = 0; k + 1 < ring.Length; k++)
        {
            var p = ring[k]; var q = ring[k + 1];
            result.Add(p);
            var onFrame = (p.X == 0 && q.X == 0) || (p.Y == 0 && q.Y == 0) || (p.X == width && q.X == width) || (p.Y == height && q.Y == height);
            var forward = p.X < q.X || (p.X == q.X && p.Y < q.Y);
            var (a, b) = forward ? (p, q) : (q, p);
            var h = Hash(a.X, a.Y, b.X, b.Y);
            var len = a.Distance(b);
            var m = Math.Clamp((int)(len / 100), 0, perEdge);
            if (m == 0) continue;
            var tJunction = h % 12 == 0;
            if (tJunction && !forward) continue;
            var pts = new Coordinate[m];
            double nx = -(b.Y - a.Y) / len, ny = (b.X - a.X) / len;
            for (var j = 1; j <= m; j++)
            {
                var t = (double)j / (m + 1);
                var wiggle = tJunction || onFrame ? 0 : Math.Sin(t * Math.PI) * Math.Sin((double)((h >> 8) % 7) + j) * Math.Min(30, len / 40);
                pts[j - 1] = new Coordinate(a.X + t * (b.X - a.X) + nx * wiggle, a.Y + t * (b.Y - a.Y) + ny * wiggle);
            }
            if (!forward) Array.Reverse(pts);
            result.AddRange(pts);
        }
        result.Add(result[0].Copy());
        return result.ToArray();
    }

    private static ulong Hash(double x1, double y1, double x2, double y2)
    {
        var h = (ulong)BitConverter.DoubleToInt64Bits(x1) * 0x9E3779B97F4A7C15UL;
        h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(y1)) * 0xC2B2AE3D27D4EB4FUL;
        h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(x2)) * 0x165667B19E3779F9UL;
        h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(y2)) * 0x9E3779B97F4A7C15UL;
        return h ^ (h >> 31);
    }

    private static double Normal(Random rng)
    {
        var u1 = 1 - rng.NextDouble(); var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
