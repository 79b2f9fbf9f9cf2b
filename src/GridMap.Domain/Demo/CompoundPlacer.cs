using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Union;
using NetTopologySuite.Simplify;

namespace GridMap.Domain.Demo;

/// <summary>A candidate compound footprint inside a block, in metres.</summary>
internal sealed record Lot(int BlockIndex, string DistrictCode, Polygon Footprint)
{
    public Coordinate Centroid { get; } = Footprint.Centroid.Coordinate;
}

/// <summary>
/// A block's layout in metres: the corridors pipes may follow (a ring under the pavement just inside the
/// arterials, and internal lanes between lots) and the lots between them.
/// </summary>
internal sealed record BlockLayout(Block Block, IReadOnlyList<LineString> Corridors, IReadOnlyList<Lot> Lots);

/// <summary>
/// Lays each block out as its old neighbourhoods were: a grid of internal lanes aligned to the block, and in each
/// cell a walled compound (rectangle or L-shape) kept back from the lanes and the arterials. Footprints never
/// overlap (each lies in its own lane cell, or its own half of one) and never reach an arterial.
/// </summary>
internal sealed class CompoundPlacer(Random random)
{
    /// <summary>Distance of the pipe corridor ring from the arterial centre line (under the pavement).</summary>
    public const double RingInsetM = 10;
    /// <summary>Distance of compound walls from the arterial centre line.</summary>
    public const double ArterialSetbackM = 20;
    /// <summary>Distance of compound walls from an internal lane's centre line.</summary>
    public const double LaneSetbackM = 8;
    public const double MinLotM2 = 5_000;
    public const double MaxLotM2 = 80_000;

    /// <summary>Two segments per quarter circle: setbacks need no smooth arcs, and fewer vertices keep overlays fast.</summary>
    private static readonly NetTopologySuite.Operation.Buffer.BufferParameters Coarse = new(2);

    public BlockLayout Layout(Block block, IReadOnlyList<Arterial> arterials)
    {
        var f = block.Area.Factory;
        var angle = AlignedGrid.Orientation(block.Area);
        var c = block.Area.Centroid.Coordinate;
        var toLocal = AffineTransformation.RotationInstance(-angle, c.X, c.Y);
        var toWorld = AffineTransformation.RotationInstance(angle, c.X, c.Y);

        // Arterials that end inside the block (dangles the polygonizer dropped) still cut through it.
        Geometry ringZone = block.Area.Buffer(-RingInsetM, Coarse);
        Geometry lotZone = block.Area.Buffer(-ArterialSetbackM, Coarse);
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(ringZone);
        var inside = arterials.Where(a => a.Metric.EnvelopeInternal.Intersects(ringZone.EnvelopeInternal) && prepared.Intersects(a.Metric))
            .Select(a => (Geometry)a.Metric).ToList();
        if (inside.Count > 0)
        {
            var cut = UnaryUnionOp.Union(inside);
            ringZone = ringZone.Difference(cut.Buffer(RingInsetM, Coarse));
            lotZone = lotZone.Difference(cut.Buffer(ArterialSetbackM, Coarse));
        }
        if (ringZone.IsEmpty || lotZone.IsEmpty) return new BlockLayout(block, [], []);
        ringZone = toLocal.Transform(ringZone);
        lotZone = toLocal.Transform(lotZone);

        var env = ringZone.EnvelopeInternal;
        // Coarse and fine grids in different blocks give the skewed mix of small 家属院 and large estates.
        var coarse = random.NextDouble() < 0.3;
        var xs = AlignedGrid.Cuts(random, env.MinX, env.MaxX, coarse ? 160 : 85, coarse ? 290 : 150);
        var ys = AlignedGrid.Cuts(random, env.MinY, env.MaxY, coarse ? 150 : 80, coarse ? 260 : 140);

        var corridors = new List<LineString>();
        foreach (var ring in Rings(ringZone)) corridors.Add(ring);
        foreach (var x in xs.Skip(1).SkipLast(1))
            AddClipped(corridors, f.CreateLineString([new Coordinate(x, env.MinY - 1), new Coordinate(x, env.MaxY + 1)]), ringZone);
        foreach (var y in ys.Skip(1).SkipLast(1))
            AddClipped(corridors, f.CreateLineString([new Coordinate(env.MinX - 1, y), new Coordinate(env.MaxX + 1, y)]), ringZone);

        var lotPrepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(lotZone);
        var lots = new List<Lot>();
        for (var i = 0; i + 1 < xs.Count; i++)
        for (var j = 0; j + 1 < ys.Count; j++)
        {
            var x0 = xs[i] + (i > 0 ? LaneSetbackM : 0);
            var x1 = xs[i + 1] - (i + 2 < xs.Count ? LaneSetbackM : 0);
            var y0 = ys[j] + (j > 0 ? LaneSetbackM : 0);
            var y1 = ys[j + 1] - (j + 2 < ys.Count ? LaneSetbackM : 0);
            if (x1 - x0 < 50 || y1 - y0 < 50) continue;
            var cell = Rect(f, x0, y0, x1, y1);
            // Most cells lie wholly inside the block: skip the overlay for them.
            var full = lotPrepared.Contains(cell);
            var usable = full ? cell : ClipToCell(f, lotZone, x0, y0, x1, y1) ?? Largest(cell.Intersection(lotZone));
            if (usable is null || usable.Area < MinLotM2) continue;
            foreach (var fp in Footprints(f, usable, full, x0, y0, x1, y1))
            {
                var world = (Polygon)toWorld.Transform(fp);
                if (world.IsValid && world.Area is >= MinLotM2 and <= MaxLotM2)
                    lots.Add(new Lot(block.Index, block.DistrictCode, world));
            }
        }
        return new BlockLayout(block, corridors.Select(l => (LineString)toWorld.Transform(l)).ToList(), lots);
    }

    /// <param name="full">True when the whole cell is usable; otherwise <paramref name="usable"/> is the part inside the setbacks.</param>
    private IEnumerable<Polygon> Footprints(GeometryFactory f, Polygon usable, bool full, double x0, double y0, double x1, double y1)
    {
        Polygon shape;
        var rectangle = false;
        if (full)
        {
            // A full cell: a rectangle that does not quite fill it, sometimes with a corner left out (L-shape).
            double w = x1 - x0, h = y1 - y0;
            var sw = w * (0.78 + 0.22 * random.NextDouble());
            var sh = h * (0.78 + 0.22 * random.NextDouble());
            var ax = random.Next(2) == 0 ? x0 : x1 - sw;
            var ay = random.Next(2) == 0 ? y0 : y1 - sh;
            shape = Rect(f, ax, ay, ax + sw, ay + sh);
            rectangle = true;
            if (random.NextDouble() < 0.3)
            {
                shape = LShape(f, ax, ay, sw, sh, random.Next(4), sw * (0.3 + 0.15 * random.NextDouble()), sh * (0.3 + 0.15 * random.NextDouble()));
                rectangle = false;
            }
        }
        else
        {
            // A cell cut by the block edge: follow the edge, without the rounding noise of the source lines. The
            // simplified outline may bulge a few metres past the setback, so it is clipped back to the usable part.
            var simple = TopologyPreservingSimplifier.Simplify(usable, 3);
            shape = Largest(simple.Intersection(usable)) ?? usable;
        }

        // Split some lots into two neighbouring compounds (a 家属院 next to an estate), with a 10 m gap.
        if (shape.Area > 16_000 && random.NextDouble() < 0.4)
        {
            var e = shape.EnvelopeInternal;
            var t = 0.35 + 0.3 * random.NextDouble();
            Polygon a, b;
            if (e.Width >= e.Height)
            {
                var cut = e.MinX + t * e.Width;
                a = Rect(f, e.MinX - 1, e.MinY - 1, cut - 5, e.MaxY + 1);
                b = Rect(f, cut + 5, e.MinY - 1, e.MaxX + 1, e.MaxY + 1);
            }
            else
            {
                var cut = e.MinY + t * e.Height;
                a = Rect(f, e.MinX - 1, e.MinY - 1, e.MaxX + 1, cut - 5);
                b = Rect(f, e.MinX - 1, cut + 5, e.MaxX + 1, e.MaxY + 1);
            }
            // A rectangle splits into two rectangles; other shapes need the overlay.
            var pa = rectangle ? Clip(f, e, a.EnvelopeInternal) : Largest(shape.Intersection(a));
            var pb = rectangle ? Clip(f, e, b.EnvelopeInternal) : Largest(shape.Intersection(b));
            if (pa is { Area: >= MinLotM2 } && pb is { Area: >= MinLotM2 })
            {
                yield return pa;
                yield return pb;
                yield break;
            }
        }
        yield return shape;
    }

    /// <summary>
    /// The largest piece of the zone inside an axis-parallel cell, by Sutherland–Hodgman clipping of each shell (much
    /// cheaper than a general overlay for the ~half of all cells that straddle a block edge). Null when the fast path
    /// does not apply (holes) or its result is not a clean polygon; the caller then falls back to the overlay.
    /// </summary>
    private static Polygon? ClipToCell(GeometryFactory f, Geometry zone, double x0, double y0, double x1, double y1)
    {
        Polygon? best = null;
        foreach (var part in DistrictLoader.Polygons(zone))
        {
            if (part.NumInteriorRings > 0) return null;
            var e = part.EnvelopeInternal;
            if (e.MaxX <= x0 || e.MinX >= x1 || e.MaxY <= y0 || e.MinY >= y1) continue;
            var pts = part.Shell.Coordinates.Take(part.Shell.NumPoints - 1).ToList();
            pts = ClipEdge(pts, c => c.X >= x0, (a, b) => Cross(a, b, x0, true));
            pts = ClipEdge(pts, c => c.X <= x1, (a, b) => Cross(a, b, x1, true));
            pts = ClipEdge(pts, c => c.Y >= y0, (a, b) => Cross(a, b, y0, false));
            pts = ClipEdge(pts, c => c.Y <= y1, (a, b) => Cross(a, b, y1, false));
            if (pts.Count < 3) continue;
            pts.Add(pts[0].Copy());
            var p = f.CreatePolygon(pts.ToArray());
            // Clipping a concave shell can leave zero-width bridges between pieces: not a clean polygon.
            if (!p.IsValid) return null;
            if (best is null || p.Area > best.Area) best = p;
        }
        return best;
    }

    private static List<Coordinate> ClipEdge(List<Coordinate> pts, Func<Coordinate, bool> inside, Func<Coordinate, Coordinate, Coordinate> cross)
    {
        var result = new List<Coordinate>(pts.Count + 4);
        for (var i = 0; i < pts.Count; i++)
        {
            var a = pts[i];
            var b = pts[(i + 1) % pts.Count];
            bool ia = inside(a), ib = inside(b);
            if (ia) result.Add(a);
            if (ia != ib) result.Add(cross(a, b));
        }
        return result;
    }

    private static Coordinate Cross(Coordinate a, Coordinate b, double at, bool vertical)
    {
        var t = vertical ? (at - a.X) / (b.X - a.X) : (at - a.Y) / (b.Y - a.Y);
        return vertical ? new Coordinate(at, a.Y + t * (b.Y - a.Y)) : new Coordinate(a.X + t * (b.X - a.X), at);
    }

    private static Polygon Clip(GeometryFactory f, Envelope shape, Envelope by)
    {
        var i = shape.Intersection(by);
        return Rect(f, i.MinX, i.MinY, i.MaxX, i.MaxY);
    }

    /// <summary>Rectangle (x, y, w, h) without a cw × ch notch at corner k (0 SW, 1 SE, 2 NE, 3 NW), built directly.</summary>
    private static Polygon LShape(GeometryFactory f, double x, double y, double w, double h, int k, double cw, double ch)
    {
        Coordinate[] corners = [new(x, y), new(x + w, y), new(x + w, y + h), new(x, y + h)];
        var ring = new List<Coordinate>();
        for (var i = 0; i < 4; i++)
        {
            if (i != k) { ring.Add(corners[i]); continue; }
            var c = corners[i];
            var prev = corners[(i + 3) % 4];
            var next = corners[(i + 1) % 4];
            // Unit steps toward the neighbours; the cut is cw along x and ch along y.
            double px = Math.Sign(prev.X - c.X), py = Math.Sign(prev.Y - c.Y), nx = Math.Sign(next.X - c.X), ny = Math.Sign(next.Y - c.Y);
            var a = new Coordinate(c.X + px * cw, c.Y + py * ch);
            var b = new Coordinate(c.X + px * cw + nx * cw, c.Y + py * ch + ny * ch);
            var d = new Coordinate(c.X + nx * cw, c.Y + ny * ch);
            ring.Add(a); ring.Add(b); ring.Add(d);
        }
        ring.Add(ring[0].Copy());
        return f.CreatePolygon(ring.ToArray());
    }

    private static Polygon Rect(GeometryFactory f, double x0, double y0, double x1, double y1) =>
        f.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    internal static Polygon? Largest(Geometry g)
    {
        Polygon? best = null;
        foreach (var p in DistrictLoader.Polygons(g))
            if (best is null || p.Area > best.Area) best = p;
        return best;
    }

    private static IEnumerable<LineString> Rings(Geometry zone)
    {
        foreach (var p in DistrictLoader.Polygons(zone))
        {
            yield return p.Factory.CreateLineString(p.ExteriorRing.Coordinates);
            foreach (var h in p.InteriorRings) yield return p.Factory.CreateLineString(h.Coordinates);
        }
    }

    private static void AddClipped(List<LineString> into, LineString line, Geometry zone)
    {
        // Lanes are axis-parallel here: cut them at the zone's edges directly (even–odd crossings), which is far
        // cheaper than an overlay; a lane through a vertex exactly falls back to the overlay.
        var a = line.GetCoordinateN(0);
        var b = line.GetCoordinateN(1);
        var vertical = a.X == b.X;
        if (vertical || a.Y == b.Y)
        {
            var at = vertical ? a.X : a.Y;
            var cuts = new List<double>();
            var degenerate = false;
            foreach (var p in DistrictLoader.Polygons(zone))
            foreach (var ring in new[] { p.Shell }.Concat(p.Holes))
            {
                var cs = ring.Coordinates;
                for (var i = 0; i + 1 < cs.Length; i++)
                {
                    double u0 = vertical ? cs[i].X : cs[i].Y, u1 = vertical ? cs[i + 1].X : cs[i + 1].Y;
                    if (u0 == at || u1 == at) { degenerate = true; break; }
                    if ((u0 < at) == (u1 < at)) continue;
                    double v0 = vertical ? cs[i].Y : cs[i].X, v1 = vertical ? cs[i + 1].Y : cs[i + 1].X;
                    cuts.Add(v0 + (at - u0) / (u1 - u0) * (v1 - v0));
                }
            }
            if (!degenerate && cuts.Count % 2 == 0)
            {
                cuts.Sort();
                for (var k = 0; k + 1 < cuts.Count; k += 2)
                {
                    if (cuts[k + 1] - cuts[k] <= 1) continue;
                    into.Add(line.Factory.CreateLineString(vertical
                        ? [new Coordinate(at, cuts[k]), new Coordinate(at, cuts[k + 1])]
                        : [new Coordinate(cuts[k], at), new Coordinate(cuts[k + 1], at)]));
                }
                return;
            }
        }
        var clipped = line.Intersection(zone);
        for (var i = 0; i < clipped.NumGeometries; i++)
            if (clipped.GetGeometryN(i) is LineString { IsEmpty: false } ls && ls.Length > 1) into.Add(ls);
    }
}
