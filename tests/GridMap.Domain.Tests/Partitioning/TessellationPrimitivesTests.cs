using GridMap.Domain.Partitioning;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>The tessellation's allocation-free stand-ins for NTS answers: they must give NTS's answers to the bit, since the
/// territories (and so every plan) are built on exact coordinates.</summary>
public class TessellationPrimitivesTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>A random simple polygon: a star-shaped ring around (cx, cy) with 3–40 vertices, some on shared ordinates
    /// (snapped to a 1 m grid, so scan lines meet vertices and horizontal edges), optionally with a hole.</summary>
    private static Polygon RandomPolygon(Random rng, bool hole)
    {
        double cx = rng.NextDouble() * 1000, cy = rng.NextDouble() * 1000;
        var n = rng.Next(3, 41);
        var snap = rng.Next(3) == 0;
        var angles = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 * Math.PI).Order().Distinct().ToArray();
        if (angles.Length < 3) angles = [0, 2, 4];
        Coordinate At(double a, double r)
        {
            double x = cx + r * Math.Cos(a), y = cy + r * Math.Sin(a);
            return snap ? new Coordinate(Math.Round(x), Math.Round(y)) : new Coordinate(x, y);
        }
        var shell = angles.Select(a => At(a, 40 + rng.NextDouble() * 60)).ToList();
        shell.Add(shell[0].Copy());
        LinearRing[] holes = [];
        if (hole)
        {
            var inner = new[] { 0.3, 2.4, 4.5 }.Select(a => At(a, 15)).ToList();
            inner.Add(inner[0].Copy());
            holes = [Factory.CreateLinearRing([.. inner])];
        }
        return Factory.CreatePolygon(Factory.CreateLinearRing([.. shell]), holes);
    }

    [Fact]
    public void ScanLineInteriorPoint_IsNtsInteriorPoint_ToTheBit()
    {
        var rng = new Random(20261206);
        var checkedCount = 0;
        for (var i = 0; i < 3000; i++)
        {
            Geometry g = rng.Next(4) switch
            {
                0 => Factory.CreateMultiPolygon([RandomPolygon(rng, false), RandomPolygon(rng, rng.Next(2) == 0), RandomPolygon(rng, false)]),
                1 => RandomPolygon(rng, true),
                _ => RandomPolygon(rng, false),
            };
            // Self-intersecting stars are possible (NTS may then find an odd number of crossings and throw): compare anyway.
            Coordinate? expected;
            try { expected = g.InteriorPoint.Coordinate; }
            catch (Exception) { Assert.ThrowsAny<Exception>(() => ScanLineInteriorPoint.Of(g)); continue; }
            var (x, y) = ScanLineInteriorPoint.Of(g);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.X), BitConverter.DoubleToInt64Bits(x));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Y), BitConverter.DoubleToInt64Bits(y));
            checkedCount++;
        }
        Assert.True(checkedCount > 2500, $"only {checkedCount} compared");
        // A zero-area polygon (all on one line) gets its first vertex, as from NTS.
        var flat = Factory.CreatePolygon([new(0, 0), new(10, 0), new(20, 0), new(0, 0)]);
        Assert.Equal((flat.InteriorPoint.X, flat.InteriorPoint.Y), ScanLineInteriorPoint.Of(flat));
    }

    [Fact]
    public void Circumcentre_IsNtsTriangleCircumcentre_ToTheBit()
    {
        var rng = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var p = Enumerable.Range(0, 3).Select(_ => new Coordinate(4.3e5 + rng.NextDouble() * 2e4, 3.8e6 + rng.NextDouble() * 2e4)).ToArray();
            var expected = Triangle.Circumcentre(p[0], p[1], p[2]);
            var actual = UnitGraphBuilder.Circumcentre(p[0].X, p[0].Y, p[1].X, p[1].Y, p[2].X, p[2].Y);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.X), BitConverter.DoubleToInt64Bits(actual.X));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Y), BitConverter.DoubleToInt64Bits(actual.Y));
        }
    }

    /// <summary>Areas for the point and segment tests: a rectangle, an L, a triangle with a hole, two squares apart.</summary>
    public static TheoryData<string> Outlines =>
    [
        "POLYGON ((0 0, 1000 0, 1000 600, 0 600, 0 0))",
        "POLYGON ((0 0, 1000 0, 1000 400, 400 400, 400 1000, 0 1000, 0 0))",
        "POLYGON ((0 0, 1000 0, 500 900, 0 0), (400 200, 600 200, 500 400, 400 200))",
        "MULTIPOLYGON (((0 0, 300 0, 300 300, 0 300, 0 0)), ((600 600, 900 600, 900 900, 600 900, 600 600)))",
    ];

    [Theory]
    [MemberData(nameof(Outlines))]
    public void InteriorGrid_AnswersAsNtsLocator(string wkt)
    {
        var area = new NetTopologySuite.IO.WKTReader().Read(wkt);
        var grid = new InteriorGrid(area);
        var locator = new IndexedPointInAreaLocator(area);
        IndexedPointInAreaLocator? own = null;
        var rng = new Random(3);
        var env = area.EnvelopeInternal;
        var points = new List<Coordinate>();
        for (var i = 0; i < 50_000; i++)
            points.Add(new Coordinate(env.MinX - 50 + rng.NextDouble() * (env.Width + 100), env.MinY - 50 + rng.NextDouble() * (env.Height + 100)));
        // Points on and within a hair of the outline, its vertices and the envelope's edges.
        foreach (var c in area.Coordinates)
        {
            points.Add(c.Copy());
            points.Add(new Coordinate(c.X + 1e-9, c.Y - 1e-9));
            points.Add(new Coordinate(c.X - 1e-7, c.Y + 1e-7));
        }
        var outline = area.Boundary.Coordinates;
        for (var k = 0; k + 1 < outline.Length; k++)
            for (var t = 0.05; t < 1; t += 0.1)
            {
                double x = outline[k].X + t * (outline[k + 1].X - outline[k].X), y = outline[k].Y + t * (outline[k + 1].Y - outline[k].Y);
                points.Add(new Coordinate(x, y));
                points.Add(new Coordinate(x + 1e-8, y + 1e-8));
                points.Add(new Coordinate(x - 1e-8, y - 1e-8));
            }
        points.Add(new Coordinate(env.MaxX, env.MaxY));
        points.Add(new Coordinate(env.MinX, env.MinY));
        var inside = 0;
        foreach (var p in points)
        {
            var expected = locator.Locate(p) == Location.Interior;
            Assert.True(expected == grid.Inside(p, ref own), $"{p} interior {expected}");
            if (expected) inside++;
        }
        Assert.InRange(inside, 1000, points.Count - 1000);
    }
    [Theory]
    [MemberData(nameof(Outlines))]
    public void InteriorGridLengthInside_IsNtsOverlaysLength(string wkt)
    {
        var area = new NetTopologySuite.IO.WKTReader().Read(wkt);
        var grid = new InteriorGrid(area);
        IndexedPointInAreaLocator? own = null;
        var rng = new Random(11);
        var env = area.EnvelopeInternal;
        var vertices = area.Coordinates;
        double Rx() => env.MinX - 200 + rng.NextDouble() * (env.Width + 400);
        double Ry() => env.MinY - 200 + rng.NextDouble() * (env.Height + 400);
        var partial = 0;
        for (var i = 0; i < 20_000; i++)
        {
            double x1 = Rx(), y1 = Ry(), x2, y2;
            switch (i % 4)
            {
                case 0: x2 = Rx(); y2 = Ry(); break;
                case 1: x2 = x1 + (rng.NextDouble() - 0.5) * 100; y2 = y1 + (rng.NextDouble() - 0.5) * 100; break; // short, like a Voronoi edge
                case 2: { var v = vertices[rng.Next(vertices.Length)]; x2 = v.X; y2 = v.Y; break; } // through a corner
                default: { var v = vertices[rng.Next(vertices.Length)]; x1 = v.X; y1 = v.Y; x2 = v.X; y2 = v.Y + (rng.NextDouble() - 0.5) * 500; break; } // from a corner, often along a side
            }
            var line = area.Factory.CreateLineString([new Coordinate(x1, y1), new Coordinate(x2, y2)]);
            var expected = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Overlay(line, area, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection).Length;
            // A stretch along the outline is on the boundary: the overlay keeps it, LengthInside (interior only) does not.
            var onOutline = line.Intersection(area.Boundary).Length;
            var actual = grid.LengthInside(x1, y1, x2, y2, ref own);
            Assert.True(Math.Abs(expected - onOutline - actual) <= 1e-9 * Math.Max(1, line.Length), $"{line}: overlay {expected} (outline {onOutline}), got {actual}");
            if (expected > 0 && expected < line.Length) partial++;
        }
        Assert.True(partial > 1_000, $"only {partial} segments crossed the outline");
    }

    [Fact]
    public void NativeBuffer_StartsZeroed_KeepsWhatIsWritten_AndRefusesIndicesOutside()
    {
        using var buffer = new NativeBuffer<(int A, double B)>(100_000);
        Assert.Equal(100_000, buffer.Length);
        for (var i = 0; i < buffer.Length; i++) Assert.Equal((0, 0.0), buffer[i]);
        for (var i = 0; i < buffer.Length; i++) buffer[i] = (i, i / 2.0);
        buffer[7].B = -1;
        Assert.Equal((99_999, 49_999.5), buffer[99_999]);
        Assert.Equal((7, -1.0), buffer[7]);
        Assert.Throws<IndexOutOfRangeException>(() => buffer[100_000]);
        Assert.Throws<IndexOutOfRangeException>(() => buffer[-1]);
        var gone = new NativeBuffer<int>(10);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gone[0]);
        gone.Dispose(); // twice is harmless
        using var empty = new NativeBuffer<int>(0);
        Assert.Throws<IndexOutOfRangeException>(() => empty[0]);
    }

    [Fact]
    public void OctagonFilterHull_IsNtsHullOfAllVertices_Exactly()
    {
        var rng = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            // Random polygons, or a grid of axis-aligned blocks (corners extreme in two directions, long collinear hull edges),
            // or thin slivers along one line (a nearly flat hull, its octagon close to degenerate).
            var kind = round % 3;
            var count = rng.Next(1, 400);
            var geoms = new List<Geometry>(count);
            for (var i = 0; i < count; i++)
            {
                if (kind == 0) { geoms.Add(RandomPolygon(rng, rng.Next(4) == 0)); continue; }
                var x = (kind == 1 ? rng.Next(20) : i) * 50.0;
                var y = kind == 1 ? rng.Next(20) * 50.0 : 0;
                geoms.Add(kind == 1 ? Factory.ToGeometry(new Envelope(x, x + 40, y, y + 40))
                    : Factory.CreatePolygon([new(x, y), new(x + 40, y), new(x + 40, y + 1e-3), new(x, y)]));
            }
            var expected = Factory.BuildGeometry(geoms).ConvexHull();
            var actual = OctagonFilter.Hull(geoms, Factory);
            Assert.True(expected.EqualsExact(actual), $"round {round}: {expected.AsText()} vs {actual.AsText()}");
            if (count >= 64 && kind != 2)
                Assert.True(OctagonFilter.Candidates(geoms)!.Length < geoms.Sum(g => g.NumPoints), $"round {round}: nothing was dropped");
        }
    }
    [Fact]
    public void SiteTable_KeepsTheFirstOfEqualPoints_AsOneDictionaryPass()
    {
        var rng = new Random(11);
        foreach (var count in new[] { 0, 1, 7, 5_000, 120_000 })
        {
            // Points on a small grid (many repeats, listed by several owners), some at −0 and 0, which are equal.
            var x = new double[count]; var y = new double[count]; var owner = new int[count];
            for (var i = 0; i < count; i++)
            {
                x[i] = rng.Next(-40, 40) * 0.5; y[i] = rng.Next(3) == 0 ? (rng.Next(2) == 0 ? -0.0 : 0.0) : rng.Next(-40, 40) * 0.25;
                owner[i] = i / 3;
            }
            var expected = new Dictionary<(double, double), int>();
            var firsts = new List<int>();
            for (var i = 0; i < count; i++)
                if (expected.TryAdd((x[i], y[i]), owner[i])) firsts.Add(i);
            var table = new SiteTable(x, y, owner);
            var first = table.Firsts();
            Assert.Equal(firsts, Enumerable.Range(0, count).Where(i => first[i]));
            foreach (var ((px, py), o) in expected) Assert.Equal(o, table.OwnerAt(px, py));
            Assert.Equal(-1, table.OwnerAt(1e9, 1e9));
        }
    }
}
