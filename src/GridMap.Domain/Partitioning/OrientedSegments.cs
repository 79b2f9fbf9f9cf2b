using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// The rings of a (multi)polygon as segments oriented with its interior on their left (shells counter-clockwise, holes
/// clockwise), as flat coordinate arrays, with what clipping a segment against them needs: where the segment meets them
/// (<see cref="Cuts"/>) and whether a point lies inside (<see cref="Encloses"/>). The tessellation clips Voronoi edges and
/// territories to the area with these instead of NTS's overlay (<see cref="InteriorGrid.LengthInside"/>,
/// <c>UnitGraphBuilder.AreaClip.Measure</c>).
/// </summary>
internal sealed class OrientedSegments
{
    public readonly double[] X1, Y1, X2, Y2;
    public readonly int Count;

    private OrientedSegments(List<(double, double, double, double)> s)
    {
        Count = s.Count;
        X1 = new double[Count]; Y1 = new double[Count]; X2 = new double[Count]; Y2 = new double[Count];
        for (var k = 0; k < Count; k++) (X1[k], Y1[k], X2[k], Y2[k]) = s[k];
    }

    /// <summary>The polygons' rings of <paramref name="g"/> (other parts are skipped), in ring order.</summary>
    public static OrientedSegments Of(Geometry g)
    {
        var s = new List<(double, double, double, double)>();
        for (var i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Polygon p || p.IsEmpty) continue;
            Add(p.Shell, counterClockwise: true);
            foreach (var hole in p.Holes) Add(hole, counterClockwise: false);
        }
        return new OrientedSegments(s);

        void Add(LinearRing ring, bool counterClockwise)
        {
            var seq = ring.CoordinateSequence;
            var reverse = NetTopologySuite.Algorithm.Orientation.IsCCW(seq) != counterClockwise;
            for (var k = 0; k + 1 < seq.Count; k++)
                s.Add(reverse ? (seq.GetX(k + 1), seq.GetY(k + 1), seq.GetX(k), seq.GetY(k)) : (seq.GetX(k), seq.GetY(k), seq.GetX(k + 1), seq.GetY(k + 1)));
        }
    }

    /// <summary>
    /// Into <paramref name="cuts"/> (cleared first), in increasing order: 0, 1 and the parameters t in [0, 1] at which the
    /// segment from (x1, y1) to (x2, y2) meets these segments — where it crosses or touches one, and where the ends of one on
    /// its line fall on it. Consecutive cuts bound the pieces that lie wholly inside or wholly outside.
    /// </summary>
    public void Cuts(double x1, double y1, double x2, double y2, List<double> cuts)
    {
        cuts.Clear();
        cuts.Add(0); cuts.Add(1);
        double dx = x2 - x1, dy = y2 - y1;
        double minX = Math.Min(x1, x2), maxX = Math.Max(x1, x2), minY = Math.Min(y1, y2), maxY = Math.Max(y1, y2);
        for (var k = 0; k < Count; k++)
        {
            double ax = X1[k], ay = Y1[k], bx = X2[k], by = Y2[k];
            if (Math.Max(ax, bx) < minX || Math.Min(ax, bx) > maxX || Math.Max(ay, by) < minY || Math.Min(ay, by) > maxY) continue;
            double ex = bx - ax, ey = by - ay;
            double px = ax - x1, py = ay - y1;
            var denom = dx * ey - dy * ex;
            if (denom == 0)
            {
                // Parallel: when on one line, the other segment's ends cut this one where they fall on it.
                if (px * dy - py * dx != 0) continue;
                var dd = dx * dx + dy * dy;
                if (dd == 0) continue;
                cuts.Add(Math.Clamp((px * dx + py * dy) / dd, 0, 1));
                cuts.Add(Math.Clamp(((bx - x1) * dx + (by - y1) * dy) / dd, 0, 1));
                continue;
            }
            var t = (px * ey - py * ex) / denom;
            var u = (px * dy - py * dx) / denom;
            if (t >= 0 && t <= 1 && u >= 0 && u <= 1) cuts.Add(t);
        }
        cuts.Sort();
    }

    /// <summary>Whether (x, y) lies inside the rings (crossing parity; a point on a ring may go either way).</summary>
    public bool Encloses(double x, double y)
    {
        var inside = false;
        for (var k = 0; k < Count; k++)
        {
            double y1 = Y1[k], y2 = Y2[k];
            if ((y1 > y) == (y2 > y)) continue;
            var xi = X1[k] + (y - y1) * (X2[k] - X1[k]) / (y2 - y1);
            if (x < xi) inside = !inside;
        }
        return inside;
    }
}
