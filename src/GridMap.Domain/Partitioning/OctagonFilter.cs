using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// The convex hull of many polygons' vertices, with most of the vertices dropped before NTS's hull sees them. NTS's
/// <see cref="NetTopologySuite.Algorithm.ConvexHull"/> copies every coordinate of the collection into a set of unique
/// coordinates before its own octagon reduction (Akl–Toussaint): 500,000 vertices of 100,000 compounds took a core for about
/// 0.3 s. Here the eight extreme vertices (least and greatest x, y, x + y, x − y) are found on all cores, and a vertex is
/// dropped only when it lies strictly inside their octagon by a clear margin: such a point is strictly inside the hull, so it
/// is neither a corner of it nor on its outline. Every vertex on the outline is kept, in its original order, so NTS's hull
/// of what is kept is the hull of all (tested against it on random and degenerate sets).
/// </summary>
internal static class OctagonFilter
{
    /// <summary>The convex hull of all vertices of <paramref name="geometries"/> (as NTS's <c>ConvexHull()</c> of their collection).</summary>
    public static Geometry Hull(IReadOnlyList<Geometry> geometries, GeometryFactory factory)
    {
        var kept = Candidates(geometries);
        return kept is null ? factory.BuildGeometry(geometries).ConvexHull() : new NetTopologySuite.Algorithm.ConvexHull(kept, factory).GetConvexHull();
    }

    /// <summary>The vertices that may lie on the hull's outline, in the collection's order; null when there are too few
    /// vertices to be worth it or the octagon is degenerate (the caller takes them all).</summary>
    internal static Coordinate[]? Candidates(IReadOnlyList<Geometry> geometries)
    {
        var n = geometries.Count;
        if (n == 0) return null;
        var parts = Math.Min(n, Environment.ProcessorCount * 4);
        var extremes = new Extremes[parts];
        Parallel.For(0, parts, p =>
        {
            var e = Extremes.Empty;
            for (var i = (int)((long)n * p / parts); i < (int)((long)n * (p + 1) / parts); i++)
                foreach (var seq in Sequences(geometries[i]))
                    for (var k = 0; k < seq.Count; k++) e.Add(seq.GetX(k), seq.GetY(k));
            extremes[p] = e;
        });
        var all = Extremes.Empty;
        foreach (var e in extremes) all.Merge(e);
        if (all.Count < 64) return null;
        // Counter-clockwise: left, lower left, bottom, lower right, right, upper right, top, upper left.
        (double X, double Y)[] corners = [all.MinX, all.MinSum, all.MinY, all.MaxDiff, all.MaxX, all.MaxSum, all.MaxY, all.MinDiff];
        // One vertex is often extreme in two directions (the lower-left corner of a rectangular district): equal neighbours
        // become one corner, or that edge would have nothing strictly inside it.
        var ring = new List<(double X, double Y)>(8);
        foreach (var c in corners)
            if (ring.Count == 0 || ring[^1] != c) ring.Add(c);
        while (ring.Count > 1 && ring[^1] == ring[0]) ring.RemoveAt(ring.Count - 1);
        if (ring.Count < 3) return null;
        var octagon = ring.ToArray();
        var keep = new List<Coordinate>[parts];
        Parallel.For(0, parts, p =>
        {
            var list = new List<Coordinate>();
            for (var i = (int)((long)n * p / parts); i < (int)((long)n * (p + 1) / parts); i++)
                foreach (var seq in Sequences(geometries[i]))
                    for (var k = 0; k < seq.Count; k++)
                    {
                        double x = seq.GetX(k), y = seq.GetY(k);
                        if (!StrictlyInside(octagon, x, y)) list.Add(new Coordinate(x, y));
                    }
            keep[p] = list;
        });
        var result = new List<Coordinate>();
        foreach (var list in keep) result.AddRange(list);
        return result.ToArray();
    }

    /// <summary>Inside every edge of the counter-clockwise convex ring by more than a relative margin (collinear corners leave
    /// nothing strictly inside, so such a ring keeps every point).</summary>
    internal static bool StrictlyInside((double X, double Y)[] ring, double x, double y)
    {
        for (var i = 0; i < ring.Length; i++)
        {
            var (ax, ay) = ring[i];
            var (bx, by) = ring[(i + 1) % ring.Length];
            double ex = bx - ax, ey = by - ay, px = x - ax, py = y - ay;
            var cross = ex * py - ey * px;
            var scale = (Math.Abs(ex) + Math.Abs(ey)) * (Math.Abs(px) + Math.Abs(py));
            if (!(cross > 1e-9 * scale)) return false;
        }
        return true;
    }

    private static IEnumerable<CoordinateSequence> Sequences(Geometry g)
    {
        if (g is Polygon p)
        {
            yield return p.Shell.CoordinateSequence;
            foreach (var h in p.Holes) yield return h.CoordinateSequence;
            yield break;
        }
        if (g is LineString l) { yield return l.CoordinateSequence; yield break; }
        if (g is Point pt) { if (!pt.IsEmpty) yield return pt.CoordinateSequence; yield break; }
        for (var i = 0; i < g.NumGeometries; i++)
        {
            var part = g.GetGeometryN(i);
            if (ReferenceEquals(part, g)) yield break;
            foreach (var s in Sequences(part)) yield return s;
        }
    }

    /// <summary>The first vertex (in order) with the least/greatest x, y, x + y and x − y, and how many vertices were seen.</summary>
    private struct Extremes
    {
        public (double X, double Y) MinX, MaxX, MinY, MaxY, MinSum, MaxSum, MinDiff, MaxDiff;
        public long Count;

        public static Extremes Empty => default;

        public void Add(double x, double y)
        {
            if (Count++ == 0) { MinX = MaxX = MinY = MaxY = MinSum = MaxSum = MinDiff = MaxDiff = (x, y); return; }
            if (x < MinX.X) MinX = (x, y);
            if (x > MaxX.X) MaxX = (x, y);
            if (y < MinY.Y) MinY = (x, y);
            if (y > MaxY.Y) MaxY = (x, y);
            if (x + y < MinSum.X + MinSum.Y) MinSum = (x, y);
            if (x + y > MaxSum.X + MaxSum.Y) MaxSum = (x, y);
            if (x - y < MinDiff.X - MinDiff.Y) MinDiff = (x, y);
            if (x - y > MaxDiff.X - MaxDiff.Y) MaxDiff = (x, y);
        }

        /// <summary>Adds the extremes of a later part (ties keep this part's, the earlier, vertex).</summary>
        public void Merge(Extremes o)
        {
            if (o.Count == 0) return;
            if (Count == 0) { this = o; return; }
            Count += o.Count;
            if (o.MinX.X < MinX.X) MinX = o.MinX;
            if (o.MaxX.X > MaxX.X) MaxX = o.MaxX;
            if (o.MinY.Y < MinY.Y) MinY = o.MinY;
            if (o.MaxY.Y > MaxY.Y) MaxY = o.MaxY;
            if (o.MinSum.X + o.MinSum.Y < MinSum.X + MinSum.Y) MinSum = o.MinSum;
            if (o.MaxSum.X + o.MaxSum.Y > MaxSum.X + MaxSum.Y) MaxSum = o.MaxSum;
            if (o.MinDiff.X - o.MinDiff.Y < MinDiff.X - MinDiff.Y) MinDiff = o.MinDiff;
            if (o.MaxDiff.X - o.MaxDiff.Y > MaxDiff.X - MaxDiff.Y) MaxDiff = o.MaxDiff;
        }
    }
}
