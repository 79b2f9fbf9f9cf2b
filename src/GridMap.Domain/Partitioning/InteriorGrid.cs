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

    /// <summary>The area's outline, its segments oriented with the area on their left.</summary>
    public OrientedSegments Outline { get; }

    public InteriorGrid(Geometry area)
    {
        _area = area;
        var env = area.EnvelopeInternal;
        _minX = env.MinX; _minY = env.MinY;
        _cellW = Math.Max(env.Width, 1e-9) / Size; _cellH = Math.Max(env.Height, 1e-9) / Size;
        Outline = OrientedSegments.Of(area);
        var near = new bool[Size * Size];
        // Each outline segment sampled every quarter cell: every cell it passes through is a sample's cell or one of
        // that cell's eight neighbours, all marked.
        for (var k = 0; k < Outline.Count; k++)
        {
            double x1 = Outline.X1[k], y1 = Outline.Y1[k], x2 = Outline.X2[k], y2 = Outline.Y2[k];
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

    /// <summary>The pieces [t0, t1] (0 ≤ t0 &lt; t1 ≤ 1, in order along it; two may meet where the segment touches the
    /// outline) of the segment from (x1, y1) to (x2, y2) that lie in the area's interior, into <paramref name="pieces"/>
    /// (cleared first); <paramref name="cuts"/> is scratch.</summary>
    public void InsidePieces(double x1, double y1, double x2, double y2, List<(double T0, double T1)> pieces, List<double> cuts,
        ref IndexedPointInAreaLocator? locator)
    {
        pieces.Clear();
        Outline.Cuts(x1, y1, x2, y2, cuts);
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
}
