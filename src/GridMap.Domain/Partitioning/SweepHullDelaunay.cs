namespace GridMap.Domain.Partitioning;

/// <summary>
/// Delaunay triangulation of a point set by the sweep-hull method (S-hull, as in mapbox/delaunator): points are added in
/// order of distance from a seed triangle's circumcentre, each joined to the visible part of the convex hull, and the
/// new triangles are made Delaunay by edge flips. O(n log n), flat arrays, no objects per point or edge — several times
/// faster than NTS's incremental quad-edge triangulator on the 400,000 sites of a 100,000-compound tessellation.
/// The triangulation is unique for points in general position (the tessellation jitters its sites to get them there),
/// so it has the same triangles as any other Delaunay triangulation of the same points (test against NTS).
/// </summary>
/// <remarks>
/// <see cref="Triangles"/> holds three point indices per triangle; <see cref="Halfedges"/>[e] is the opposite half-edge
/// of half-edge e (−1 on the hull). Half-edge e goes from <c>Triangles[e]</c> to <c>Triangles[Next(e)]</c>.
/// Predicates are in floating point (not exact): fine for jittered sites, not for arbitrary degenerate input.
/// </remarks>
internal sealed class SweepHullDelaunay
{
    public int[] Triangles { get; }
    public int[] Halfedges { get; }
    /// <summary>Number of half-edges in use (3 × triangles).</summary>
    public int Count { get; }

    public static int Next(int e) => e % 3 == 2 ? e - 2 : e + 1;
    public static int Prev(int e) => e % 3 == 0 ? e + 2 : e - 1;

    private readonly double[] _x, _y;
    private readonly int[] _triangles, _halfedges;
    private int _trianglesLen;
    private readonly int _hashSize;
    private readonly int[] _hullPrev, _hullNext, _hullTri, _hullHash;
    private int _hullStart;
    private double _cx, _cy;
    private readonly int[] _edgeStack = new int[512];
    private const double NearlyEqual = 2.220446049250313e-16; // 2^-52, as delaunator

    /// <exception cref="ArgumentException">fewer than three points, or all on one line</exception>
    public SweepHullDelaunay(double[] x, double[] y)
    {
        var n = x.Length;
        if (n < 3 || y.Length != n) throw new ArgumentException("at least three points are needed");
        _x = x; _y = y;
        var maxTriangles = Math.Max(2 * n - 5, 0);
        _triangles = new int[maxTriangles * 3];
        _halfedges = new int[maxTriangles * 3];
        _hashSize = (int)Math.Ceiling(Math.Sqrt(n));
        _hullPrev = new int[n]; _hullNext = new int[n]; _hullTri = new int[n]; _hullHash = new int[_hashSize];
        Build();
        Count = _trianglesLen;
        Triangles = _triangles;
        Halfedges = _halfedges;
    }

    // (q − p) × (r − p) > 0: p, q, r counter-clockwise.
    private bool Ccw(double px, double py, int q, int r) => (_x[q] - px) * (_y[r] - py) - (_y[q] - py) * (_x[r] - px) > 0;

    private static bool InCircle(double ax, double ay, double bx, double by, double cx, double cy, double px, double py)
    {
        double dx = ax - px, dy = ay - py, ex = bx - px, ey = by - py, fx = cx - px, fy = cy - py;
        double ap = dx * dx + dy * dy, bp = ex * ex + ey * ey, cp = fx * fx + fy * fy;
        return dx * (ey * cp - bp * fy) - dy * (ex * cp - bp * fx) + ap * (ex * fy - ey * fx) < 0;
    }

    private static double Circumradius(double ax, double ay, double bx, double by, double cx, double cy)
    {
        double dx = bx - ax, dy = by - ay, ex = cx - ax, ey = cy - ay;
        double bl = dx * dx + dy * dy, cl = ex * ex + ey * ey, d = 0.5 / (dx * ey - dy * ex);
        double x = (ey * bl - dy * cl) * d, y = (dx * cl - ex * bl) * d;
        return x * x + y * y;
    }

    private int HashKey(double x, double y)
    {
        double dx = x - _cx, dy = y - _cy;
        var p = dx / (Math.Abs(dx) + Math.Abs(dy));
        var angle = (dy > 0 ? 3 - p : 1 + p) / 4; // pseudo-angle in [0, 1]
        return (int)Math.Floor(angle * _hashSize) % _hashSize;
    }

    private void Build()
    {
        var n = _x.Length;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        var ids = new int[n];
        for (var i = 0; i < n; i++)
        {
            minX = Math.Min(minX, _x[i]); minY = Math.Min(minY, _y[i]); maxX = Math.Max(maxX, _x[i]); maxY = Math.Max(maxY, _y[i]);
            ids[i] = i;
        }
        double mx = (minX + maxX) / 2, my = (minY + maxY) / 2;
        int i0 = 0, i1 = 0, i2 = 0;
        var minDist = double.PositiveInfinity;
        for (var i = 0; i < n; i++)
        {
            var d = (_x[i] - mx) * (_x[i] - mx) + (_y[i] - my) * (_y[i] - my);
            if (d < minDist) { i0 = i; minDist = d; }
        }
        double i0x = _x[i0], i0y = _y[i0];
        minDist = double.PositiveInfinity;
        for (var i = 0; i < n; i++)
        {
            if (i == i0) continue;
            var d = (_x[i] - i0x) * (_x[i] - i0x) + (_y[i] - i0y) * (_y[i] - i0y);
            if (d < minDist && d > 0) { i1 = i; minDist = d; }
        }
        double i1x = _x[i1], i1y = _y[i1];
        var minRadius = double.PositiveInfinity;
        for (var i = 0; i < n; i++)
        {
            if (i == i0 || i == i1) continue;
            var r = Circumradius(i0x, i0y, i1x, i1y, _x[i], _y[i]);
            if (r < minRadius) { i2 = i; minRadius = r; }
        }
        if (double.IsPositiveInfinity(minRadius) || double.IsNaN(minRadius)) throw new ArgumentException("the points are collinear");
        // The seed triangle clockwise, as the hull walk below expects.
        if (Ccw(i0x, i0y, i1, i2)) (i1, i2) = (i2, i1);
        i1x = _x[i1]; i1y = _y[i1];
        double i2x = _x[i2], i2y = _y[i2];
        {
            double dx = i1x - i0x, dy = i1y - i0y, ex = i2x - i0x, ey = i2y - i0y;
            double bl = dx * dx + dy * dy, cl = ex * ex + ey * ey, d = 0.5 / (dx * ey - dy * ex);
            _cx = i0x + (ey * bl - dy * cl) * d; _cy = i0y + (dx * cl - ex * bl) * d;
        }
        var dists = new double[n];
        for (var i = 0; i < n; i++) dists[i] = (_x[i] - _cx) * (_x[i] - _cx) + (_y[i] - _cy) * (_y[i] - _cy);
        Array.Sort(dists, ids);

        _hullStart = i0;
        _hullNext[i0] = _hullPrev[i2] = i1;
        _hullNext[i1] = _hullPrev[i0] = i2;
        _hullNext[i2] = _hullPrev[i1] = i0;
        _hullTri[i0] = 0; _hullTri[i1] = 1; _hullTri[i2] = 2;
        Array.Fill(_hullHash, -1);
        _hullHash[HashKey(i0x, i0y)] = i0;
        _hullHash[HashKey(i1x, i1y)] = i1;
        _hullHash[HashKey(i2x, i2y)] = i2;
        _trianglesLen = 0;
        AddTriangle(i0, i1, i2, -1, -1, -1);

        double xp = 0, yp = 0;
        for (var k = 0; k < n; k++)
        {
            var i = ids[k];
            double x = _x[i], y = _y[i];
            // Skip near-duplicate points.
            if (k > 0 && Math.Abs(x - xp) <= NearlyEqual && Math.Abs(y - yp) <= NearlyEqual) continue;
            xp = x; yp = y;
            if (i == i0 || i == i1 || i == i2) continue;

            // A visible edge of the hull, starting from the hash bucket of the point's angle.
            var start = 0;
            for (int j = 0, key = HashKey(x, y); j < _hashSize; j++)
            {
                start = _hullHash[(key + j) % _hashSize];
                if (start != -1 && start != _hullNext[start]) break;
            }
            start = _hullPrev[start];
            int e = start, q;
            while (!Ccw(x, y, e, q = _hullNext[e]))
            {
                e = q;
                if (e == start) { e = -1; break; }
            }
            if (e == -1) continue; // on the hull within rounding: a near-duplicate

            var t = AddTriangle(e, i, _hullNext[e], -1, -1, _hullTri[e]);
            _hullTri[i] = Legalize(t + 2);
            _hullTri[e] = t;

            // Walk forward along the hull, adding triangles.
            var nx = _hullNext[e];
            while (Ccw(x, y, nx, q = _hullNext[nx]))
            {
                t = AddTriangle(nx, i, q, _hullTri[i], -1, _hullTri[nx]);
                _hullTri[i] = Legalize(t + 2);
                _hullNext[nx] = nx; // removed from the hull
                nx = q;
            }
            // Walk backward from the other side.
            if (e == start)
            {
                while (Ccw(x, y, q = _hullPrev[e], e))
                {
                    t = AddTriangle(q, i, e, -1, _hullTri[e], _hullTri[q]);
                    Legalize(t + 2);
                    _hullTri[q] = t;
                    _hullNext[e] = e;
                    e = q;
                }
            }
            _hullStart = _hullPrev[i] = e;
            _hullNext[e] = _hullPrev[nx] = i;
            _hullNext[i] = nx;
            _hullHash[HashKey(x, y)] = i;
            _hullHash[HashKey(_x[e], _y[e])] = e;
        }
    }

    private int Legalize(int a)
    {
        var i = 0;
        int ar;
        while (true)
        {
            var b = _halfedges[a];
            var a0 = a - a % 3;
            ar = a0 + (a + 2) % 3;
            if (b == -1)
            {
                if (i == 0) break;
                a = _edgeStack[--i];
                continue;
            }
            var b0 = b - b % 3;
            var al = a0 + (a + 1) % 3;
            var bl = b0 + (b + 2) % 3;
            int p0 = _triangles[ar], pr = _triangles[a], pl = _triangles[al], p1 = _triangles[bl];
            if (InCircle(_x[p0], _y[p0], _x[pr], _y[pr], _x[pl], _y[pl], _x[p1], _y[p1]))
            {
                _triangles[a] = p1;
                _triangles[b] = p0;
                var hbl = _halfedges[bl];
                if (hbl == -1)
                {
                    // The flipped edge was on the hull: the hull's triangle reference moves with it.
                    var e = _hullStart;
                    do
                    {
                        if (_hullTri[e] == bl) { _hullTri[e] = a; break; }
                        e = _hullPrev[e];
                    } while (e != _hullStart);
                }
                Link(a, hbl);
                Link(b, _halfedges[ar]);
                Link(ar, bl);
                var br = b0 + (b + 1) % 3;
                if (i < _edgeStack.Length) _edgeStack[i++] = br;
            }
            else
            {
                if (i == 0) break;
                a = _edgeStack[--i];
            }
        }
        return ar;
    }

    private void Link(int a, int b)
    {
        _halfedges[a] = b;
        if (b != -1) _halfedges[b] = a;
    }

    private int AddTriangle(int i0, int i1, int i2, int a, int b, int c)
    {
        var t = _trianglesLen;
        _triangles[t] = i0; _triangles[t + 1] = i1; _triangles[t + 2] = i2;
        Link(t, a); Link(t + 1, b); Link(t + 2, c);
        _trianglesLen += 3;
        return t;
    }
}
