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

    public InteriorGrid(Geometry area)
    {
        _area = area;
        var env = area.EnvelopeInternal;
        _minX = env.MinX; _minY = env.MinY;
        _cellW = Math.Max(env.Width, 1e-9) / Size; _cellH = Math.Max(env.Height, 1e-9) / Size;
        var near = new bool[Size * Size];
        // Each outline segment sampled every quarter cell: every cell it passes through is a sample's cell or one of
        // that cell's eight neighbours, all marked.
        foreach (var ring in UnitGraphBuilder.Rings(area))
        {
            var seq = ring.CoordinateSequence;
            for (var k = 0; k + 1 < seq.Count; k++)
            {
                double x1 = seq.GetX(k), y1 = seq.GetY(k), x2 = seq.GetX(k + 1), y2 = seq.GetY(k + 1);
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
}
