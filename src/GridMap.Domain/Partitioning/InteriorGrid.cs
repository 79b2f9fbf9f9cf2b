using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Answers "is this point in the area's interior?" from a grid over the area's envelope for most points, and from NTS's
/// locator for the rest, with the locator's answers: a grid cell that the area's outline comes near is left to the
/// locator; every other cell lies wholly inside or wholly outside, which one locate per connected group of such cells
/// tells. A tessellation asks this for a million Voronoi vertices, nearly all far from the outline.
/// </summary>
internal sealed class InteriorGrid
{
    private const int Size = 256;
    // Per cell: 0 near the outline (ask the locator), 1 inside, 2 outside.
    private readonly byte[] _state = new byte[Size * Size];
    private readonly double _minX, _minY, _cellW, _cellH;
    private readonly Geometry _area;
    // The outline's segments (every ring's), as flat coordinate arrays for LengthInside.
    private readonly double[] _ax1, _ay1, _ax2, _ay2;

    public InteriorGrid(Geometry area)
    {
        _area = area;
        var env = area.EnvelopeInternal;
        _minX = env.MinX; _minY = env.MinY;
        _cellW = Math.Max(env.Width, 1e-9) / Size; _cellH = Math.Max(env.Height, 1e-9) / Size;
        var segments = new List<(double, double, double, double)>();
        var near = new bool[Size * Size];
        // Each outline segment sampled every quarter cell: every cell it passes through is a sample's cell or one of
        // that cell's eight neighbours, all marked.
        foreach (var ring in UnitGraphBuilder.Rings(area))
        {
            var seq = ring.CoordinateSequence;
            for (var k = 0; k + 1 < seq.Count; k++)
            {
                double x1 = seq.GetX(k), y1 = seq.GetY(k), x2 = seq.GetX(k + 1), y2 = seq.GetY(k + 1);
                segments.Add((x1, y1, x2, y2));
                var steps = (int)Math.Ceiling(Math.Max(Math.Abs(x2 - x1) / _cellW, Math.Abs(y2 - y1) / _cellH) * 4) + 1;
                for (var s = 0; s <= steps; s++)
                {
                    var t = (double)s / steps;
                    var (cx, cy) = CellOf(x1 + t * (x2 - x1), y1 + t * (y2 - y1));
                    for (var dy = -1; dy <= 1; dy++)
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            int ix = cx + dx, iy = cy + dy;
                            if (ix >= 0 && iy >= 0 && ix < Size && iy < Size) near[iy * Size + ix] = true;
                        }
                }
            }
        }
        _ax1 = [.. segments.Select(s => s.Item1)]; _ay1 = [.. segments.Select(s => s.Item2)];
        _ax2 = [.. segments.Select(s => s.Item3)]; _ay2 = [.. segments.Select(s => s.Item4)];
        // Groups of cells away from the outline: one locate each (of a cell's centre), then a flood through edge neighbours.
        var locator = new IndexedPointInAreaLocator(area);
        var stack = new Stack<int>();
        for (var c0 = 0; c0 < near.Length; c0++)
        {
            if (near[c0] || _state[c0] != 0) continue;
            var centre = new Coordinate(_minX + (c0 % Size + 0.5) * _cellW, _minY + (c0 / Size + 0.5) * _cellH);
            var value = locator.Locate(centre) == Location.Interior ? (byte)1 : (byte)2;
            _state[c0] = value;
            stack.Push(c0);
            while (stack.Count > 0)
            {
                var c = stack.Pop();
                int x = c % Size, y = c / Size;
                Visit(x - 1, y); Visit(x + 1, y); Visit(x, y - 1); Visit(x, y + 1);
            }
            void Visit(int x, int y)
            {
                if (x < 0 || y < 0 || x >= Size || y >= Size) return;
                var c = y * Size + x;
                if (near[c] || _state[c] != 0) return;
                _state[c] = value;
                stack.Push(c);
            }
        }
    }

    private (int X, int Y) CellOf(double x, double y) =>
        ((int)Math.Clamp(Math.Floor((x - _minX) / _cellW), -2, Size + 1), (int)Math.Clamp(Math.Floor((y - _minY) / _cellH), -2, Size + 1));

    /// <summary>Whether <paramref name="p"/> lies in the area's interior; <paramref name="locator"/> (created on first
    /// need, one per thread) answers near the outline.</summary>
    public bool Inside(Coordinate p, ref IndexedPointInAreaLocator? locator) => Inside(p.X, p.Y, ref locator);

    /// <inheritdoc cref="Inside(Coordinate, ref IndexedPointInAreaLocator?)"/>
    public bool Inside(double px, double py, ref IndexedPointInAreaLocator? locator)
    {
        var (x, y) = CellOf(px, py);
        if (x < 0 || y < 0 || x >= Size || y >= Size) return false; // outside the envelope
        var state = _state[y * Size + x];
        if (state != 0) return state == 1;
        locator ??= new IndexedPointInAreaLocator(_area);
        return locator.Locate(new Coordinate(px, py)) == Location.Interior;
    }

    /// <summary>
    /// The length of the segment from (x1, y1) to (x2, y2) that lies in the area's interior: the segment is cut where it
    /// meets the outline, and each piece whose middle is inside counts. A Voronoi edge that leaves the area asks this;
    /// NTS's overlay gives the same length (to rounding) at some 200 µs a call, mostly noding set-up, against a few µs
    /// here. A piece along the outline counts as outside.
    /// </summary>
    public double LengthInside(double x1, double y1, double x2, double y2, ref IndexedPointInAreaLocator? locator)
    {
        double dx = x2 - x1, dy = y2 - y1;
        var length = Math.Sqrt(dx * dx + dy * dy);
        if (length == 0) return 0;
        var pieces = new List<(double, double)>(2);
        InsidePieces(x1, y1, x2, y2, pieces, new List<double>(4), ref locator);
        var inside = 0.0;
        foreach (var (t0, t1) in pieces) inside += t1 - t0;
        return inside * length;
    }

    /// <summary>The pieces [t0, t1] (0 ≤ t0 &lt; t1 ≤ 1, in order along it; two may meet where the segment touches the outline) of the segment from (x1, y1) to (x2, y2) that lie in
    /// the area's interior, into <paramref name="pieces"/> (cleared first); <paramref name="cuts"/> is scratch.</summary>
    public void InsidePieces(double x1, double y1, double x2, double y2, List<(double T0, double T1)> pieces, List<double> cuts,
        ref IndexedPointInAreaLocator? locator)
    {
        pieces.Clear();
        cuts.Clear();
        cuts.Add(0); cuts.Add(1);
        AddCuts(x1, y1, x2, y2, _ax1, _ay1, _ax2, _ay2, _ax1.Length, cuts);
        cuts.Sort();
        double dx = x2 - x1, dy = y2 - y1;
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            double t0 = cuts[i], t1 = cuts[i + 1];
            if (t1 <= t0) continue;
            var tm = (t0 + t1) / 2;
            if (!Inside(x1 + tm * dx, y1 + tm * dy, ref locator)) continue;
            pieces.Add((t0, t1));
        }
    }

    /// <summary>
    /// Adds to <paramref name="cuts"/> the parameters t in [0, 1] at which the segment from (x1, y1) to (x2, y2) meets the
    /// first <paramref name="count"/> segments (sx1, sy1)–(sx2, sy2): where it crosses or touches one, and where the ends
    /// of one on its line fall on it.
    /// </summary>
    internal static void AddCuts(double x1, double y1, double x2, double y2, double[] sx1, double[] sy1, double[] sx2, double[] sy2, int count,
        List<double> cuts)
    {
        double dx = x2 - x1, dy = y2 - y1;
        double minX = Math.Min(x1, x2), maxX = Math.Max(x1, x2), minY = Math.Min(y1, y2), maxY = Math.Max(y1, y2);
        for (var k = 0; k < count; k++)
        {
            double ax = sx1[k], ay = sy1[k], bx = sx2[k], by = sy2[k];
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
    }
}
