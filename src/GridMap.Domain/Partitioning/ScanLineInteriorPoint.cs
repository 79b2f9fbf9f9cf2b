using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// The interior point NTS's <see cref="Geometry.InteriorPoint"/> gives a polygon or multipolygon, to the bit, without its
/// allocations (a tessellation asks for 100,000 of them): a horizontal scan line through the middle of each polygon's
/// vertical extent, moved to halfway between the two vertex ordinates nearest that middle; the midpoint of the widest
/// section of the line inside the polygon; over a multipolygon, the polygon with the widest section (the first on ties).
/// </summary>
/// <remarks>Anything else — empty, a polygon with an odd number of crossings (invalid), another geometry type — is left to
/// NTS, so its answer and its errors stay exactly NTS's (test against it).</remarks>
internal static class ScanLineInteriorPoint
{
    public static (double X, double Y) Of(Geometry g)
    {
        if (!g.IsEmpty && (g is Polygon || g is MultiPolygon))
        {
            var bestWidth = -1.0;
            (double X, double Y) best = default;
            var found = true;
            for (var p = 0; p < g.NumGeometries && found; p++)
            {
                var poly = (Polygon)g.GetGeometryN(p);
                if (poly.IsEmpty) continue;
                found = OfPolygon(poly, out var point, out var width);
                if (found && width > bestWidth) { bestWidth = width; best = point; }
            }
            if (found && bestWidth >= 0) return best;
        }
        var c = g.InteriorPoint.Coordinate;
        return (c.X, c.Y);
    }

    /// <summary>False when the scan line crosses the polygon's rings an odd number of times (left to NTS).</summary>
    private static bool OfPolygon(Polygon poly, out (double X, double Y) point, out double width)
    {
        // The scan line: between the highest vertex ordinate at or below the centre of the extent and the lowest above it.
        var env = poly.EnvelopeInternal;
        double hi = env.MaxY, lo = env.MinY;
        var centre = (lo + hi) / 2.0;
        for (var r = -1; r < poly.NumInteriorRings; r++)
        {
            var seq = (r < 0 ? poly.ExteriorRing : poly.GetInteriorRingN(r)).CoordinateSequence;
            for (var i = 0; i < seq.Count; i++)
            {
                var y = seq.GetY(i);
                if (y <= centre) { if (y > lo) lo = y; }
                else if (y < hi) hi = y;
            }
        }
        var scanY = (hi + lo) / 2.0;
        // The default when no section has a positive width: the shell's first vertex (a zero-area polygon).
        var shell = poly.ExteriorRing.CoordinateSequence;
        point = (shell.GetX(0), shell.GetY(0));
        width = 0;
        Span<double> stack = stackalloc double[64];
        var crossings = stack;
        var count = 0;
        for (var r = -1; r < poly.NumInteriorRings; r++)
        {
            var ring = r < 0 ? poly.ExteriorRing : poly.GetInteriorRingN(r);
            var renv = ring.EnvelopeInternal;
            if (scanY < renv.MinY || scanY > renv.MaxY) continue;
            var seq = ring.CoordinateSequence;
            for (var i = 1; i < seq.Count; i++)
            {
                double x0 = seq.GetX(i - 1), y0 = seq.GetY(i - 1), x1 = seq.GetX(i), y1 = seq.GetY(i);
                if ((y0 > scanY && y1 > scanY) || (y0 < scanY && y1 < scanY)) continue;
                // Horizontal segments, and a vertex on the line counted once (downward: not its start; upward: not its end).
                if (y0 == y1 || (y0 == scanY && y1 < scanY) || (y1 == scanY && y0 < scanY)) continue;
                var x = x0 == x1 ? x0 : x0 + (scanY - y0) / ((y1 - y0) / (x1 - x0));
                if (count == crossings.Length)
                {
                    var grown = new double[2 * crossings.Length];
                    crossings.CopyTo(grown);
                    crossings = grown;
                }
                crossings[count++] = x;
            }
        }
        if (count == 0) return true;
        if (count % 2 != 0) return false;
        var used = crossings[..count];
        used.Sort();
        for (var i = 0; i < count; i += 2)
        {
            var w = used[i + 1] - used[i];
            if (w > width) { width = w; point = ((used[i] + used[i + 1]) / 2.0, scanY); }
        }
        return true;
    }
}
