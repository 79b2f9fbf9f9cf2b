using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;

namespace GridMap.Domain.Partitioning;

/// <summary>Territories from the Voronoi edges of a tessellation: chained into polygons and clipped to the area, or only
/// measured (<see cref="KeepTerritories"/> = false).</summary>
public sealed partial class UnitGraphBuilder
{
    /// <summary>
    /// A territory from the Voronoi edges that separate its sites from other units' sites: they form closed rings
    /// (every Voronoi vertex on the outline has two of them, matched on exact coordinates), the largest ring is a shell, a ring inside a shell a
    /// hole (a unit enclosed by this one), any other ring another shell. Null when the edges do not close up.
    /// </summary>
    internal static Geometry? Territory(List<(Coordinate P, Coordinate Q)> edges, GeometryFactory factory)
    {
        if (edges.Count < 3) return null;
        // Keyed on the coordinate values (what Coordinate's own equality compares, hashed without its slow hash code).
        var at = new Dictionary<(double, double), List<int>>(2 * edges.Count);
        for (var s = 0; s < edges.Count; s++)
        {
            Add(edges[s].P, s);
            Add(edges[s].Q, s);
        }
        void Add(Coordinate c, int s)
        {
            ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(at, (c.X, c.Y), out _);
            (list ??= new List<int>(2)).Add(s);
        }
        var used = new bool[edges.Count];
        var rings = new List<LinearRing>();
        for (var s0 = 0; s0 < edges.Count; s0++)
        {
            if (used[s0]) continue;
            used[s0] = true;
            var start = edges[s0].P;
            var ring = new List<Coordinate> { start.Copy() };
            var current = edges[s0].Q;
            while (!current.Equals2D(start))
            {
                ring.Add(current.Copy());
                var next = -1;
                foreach (var s in at[(current.X, current.Y)]) if (!used[s]) { next = s; break; }
                if (next < 0) return null;
                used[next] = true;
                current = edges[next].P.Equals2D(current) ? edges[next].Q : edges[next].P;
            }
            if (ring.Count < 3) return null;
            ring.Add(start.Copy());
            rings.Add(factory.CreateLinearRing(ring.ToArray()));
        }
        var byArea = rings.Select(r => (Ring: r, Area: Math.Abs(NetTopologySuite.Algorithm.Area.OfRingSigned(r.CoordinateSequence)))).OrderByDescending(r => r.Area).ToList();
        var shells = new List<(LinearRing Shell, List<LinearRing> Holes)>();
        foreach (var (ring, _) in byArea)
        {
            var owner = shells.FindIndex(sh => NetTopologySuite.Algorithm.PointLocation.IsInRing(ring.GetCoordinateN(0), sh.Shell.Coordinates));
            if (owner >= 0) shells[owner].Holes.Add(ring); else shells.Add((ring, []));
        }
        var polygons = shells.Select(sh => factory.CreatePolygon(sh.Shell, sh.Holes.ToArray())).ToArray();
        return polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
    }

    /// <summary>A worker's view of the area for clipping territories: the prepared area and a point locator of its own,
    /// the outline's segments shared (read only).</summary>
    private sealed class AreaClip(Geometry area, STRtree<int> outlineSegments)
    {
        private readonly IPreparedGeometry _prepared = PreparedGeometryFactory.Prepare(area);
        private readonly NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator _inside = new(area);

        /// <summary>The territory clipped to the area; the footprint when there is none (its edges did not close up) or
        /// nothing of it is left. Most territories lie far from the outline: when no segment of the outline comes within
        /// a territory's envelope and a vertex of each of its parts is inside, it is inside (what the prepared Contains
        /// would say, without its segment intersection search — half of this stage on 100,000 units); the others get the
        /// prepared test, then the overlay.</summary>
        public Geometry Territory(Geometry? t, Geometry footprint)
        {
            if (t is null) return footprint;
            if (!ClearlyInside(t, outlineSegments, _inside) && !_prepared.Contains(t))
                t = OverlayNGRobust.Overlay(t, area, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection);
            return t.IsEmpty ? footprint : t;
        }

        private readonly List<(double T0, double T1)> _pieces = new(4);
        private readonly List<double> _cuts = new(8);
        private NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator? _gridLocator;

        /// <summary>
        /// The area and perimeter of the territory clipped to the area, as <see cref="Territory"/> then Area and Length give
        /// them, without building the clipped polygon: its boundary is the territory's edges inside the area and the area's
        /// outline inside the territory, each oriented with the clipped region on its left, so the shoelace sum over those
        /// pieces is twice its area and their lengths its perimeter. The overlay took about 200 µs a territory (1,273 of
        /// them on 100,000 compounds, 0.26 s of CPU); the same figures to rounding (test against the polygons' path).
        /// </summary>
        public (double Area, double Perimeter) Measure(Geometry? t, Geometry footprint, InteriorGrid interior)
        {
            if (t is null) return (footprint.Area, footprint.Length);
            if (ClearlyInside(t, outlineSegments, _inside) || _prepared.Contains(t)) return (t.Area, t.Length);
            var own = OrientedSegments.Of(t);
            var env = t.EnvelopeInternal;
            double ox = env.MinX, oy = env.MinY, a2 = 0, length = 0;
            void Add(double x1, double y1, double x2, double y2)
            {
                a2 += (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy);
                double dx = x1 - x2, dy = y1 - y2;
                length += Math.Sqrt(dx * dx + dy * dy);
            }
            void AddPiece(double x1, double y1, double x2, double y2, double t0, double t1)
            {
                double dx = x2 - x1, dy = y2 - y1;
                Add(t0 == 0 ? x1 : x1 + t0 * dx, t0 == 0 ? y1 : y1 + t0 * dy, t1 == 1 ? x2 : x1 + t1 * dx, t1 == 1 ? y2 : y1 + t1 * dy);
            }
            // The territory's edges, inside the area.
            for (var k = 0; k < own.Count; k++)
            {
                double x1 = own.X1[k], y1 = own.Y1[k], x2 = own.X2[k], y2 = own.Y2[k];
                interior.InsidePieces(x1, y1, x2, y2, _pieces, _cuts, ref _gridLocator);
                foreach (var (t0, t1) in _pieces) AddPiece(x1, y1, x2, y2, t0, t1);
            }
            // The area's outline, inside the territory.
            var outline = interior.Outline;
            for (var k = 0; k < outline.Count; k++)
            {
                double x1 = outline.X1[k], y1 = outline.Y1[k], x2 = outline.X2[k], y2 = outline.Y2[k];
                if (Math.Max(x1, x2) < env.MinX || Math.Min(x1, x2) > env.MaxX || Math.Max(y1, y2) < env.MinY || Math.Min(y1, y2) > env.MaxY) continue;
                own.Cuts(x1, y1, x2, y2, _cuts);
                for (var i = 0; i + 1 < _cuts.Count; i++)
                {
                    double t0 = _cuts[i], t1 = _cuts[i + 1];
                    if (t1 <= t0) continue;
                    var tm = (t0 + t1) / 2;
                    if (own.Encloses(x1 + tm * (x2 - x1), y1 + tm * (y2 - y1))) AddPiece(x1, y1, x2, y2, t0, t1);
                }
            }
            return a2 > 0 ? (a2 / 2, length) : (footprint.Area, footprint.Length);
        }
    }

    /// <summary>One territory's sums over its Voronoi edges, each oriented with the unit on its left: shoelace area
    /// (about its first edge's start, which keeps the products small), perimeter, the sum of the edge vectors (zero when the
    /// edges close up), and whether every edge lies inside the area.</summary>
    /// <summary>The Voronoi edge between the territories of units A and B (−1: the frame around the area) from (X1, Y1) to
    /// (X2, Y2), its length inside the area, and whether both ends lie inside it; <see cref="Live"/> false where the dual
    /// Delaunay edge gives no edge (both sites one unit's, or both circumcentres one point).</summary>
    private readonly record struct VoronoiEdge(int A, int B, double X1, double Y1, double X2, double Y2, double Len, bool Inside)
    {
        public bool Live { get; } = true;
        public Coordinate P1 => new(X1, Y1);
        public Coordinate P2 => new(X2, Y2);
    }

    private struct TerritoryMeasure
    {
        public double Area2, Perimeter, Dx, Dy, MinX, MinY, MaxX, MaxY;
        public int Edges;
        public bool Outside;
        private double _x0, _y0;

        /// <summary>Adds the edge from (x1, y1) to (x2, y2), oriented with the territory on its left.</summary>
        public void Add(double x1, double y1, double x2, double y2, bool inside)
        {
            if (Edges++ == 0) { _x0 = MinX = MaxX = x1; _y0 = MinY = MaxY = y1; }
            double px = x1 - _x0, py = y1 - _y0, qx = x2 - _x0, qy = y2 - _y0;
            Area2 += px * qy - qx * py;
            // Coordinate.Distance's arithmetic.
            double dx = x1 - x2, dy = y1 - y2;
            Perimeter += Math.Sqrt(dx * dx + dy * dy);
            Dx += x2 - x1; Dy += y2 - y1;
            MinX = Math.Min(MinX, Math.Min(x1, x2)); MaxX = Math.Max(MaxX, Math.Max(x1, x2));
            MinY = Math.Min(MinY, Math.Min(y1, y2)); MaxY = Math.Max(MaxY, Math.Max(y1, y2));
            Outside |= !inside;
        }
    }

    /// <summary>The areas and perimeters of the territories without their polygons (see <see cref="KeepTerritories"/>).
    /// A territory is measured from its edges when they close up, all lie inside the area and no segment of the area's
    /// outline comes within their envelope (then the territory lies inside the area: no clip); the others are chained
    /// as with polygons and measured clipped to the area (<see cref="AreaClip.Measure"/>). A territory whose edges do not
    /// close up is its footprint, as there.</summary>
    private (Geometry?[] Territories, Dictionary<long, double> Pairs, double[]? Areas, double[]? Perimeters) MeasureTerritories(Geometry[] footprints,
        NativeBuffer<VoronoiEdge> voronoi, TerritoryMeasure[] measure, Geometry area, InteriorGrid interior,
        Dictionary<long, double> pairs, CancellationToken ct, Action<string> lap)
    {
        var n = footprints.Length;
        var factory = footprints[0].Factory;
        var outlineSegments = OutlineSegments(area);
        var areas = new double[n]; var perims = new double[n];
        var chain = new bool[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i =>
        {
            ref var m = ref measure[i];
            var closes = m.Edges >= 3 && Math.Abs(m.Dx) + Math.Abs(m.Dy) <= 1e-9 * Math.Max(1, m.Perimeter);
            if (closes && !m.Outside && outlineSegments.Query(new Envelope(m.MinX, m.MaxX, m.MinY, m.MaxY)).Count == 0)
            {
                areas[i] = Math.Abs(m.Area2) / 2; perims[i] = m.Perimeter;
            }
            else chain[i] = true;
        });
        var outline = new Dictionary<int, List<(Coordinate P, Coordinate Q)>>();
        for (var t = 0; t < voronoi.Length; t++)
        {
            ref readonly var v = ref voronoi[t];
            if (!v.Live) continue;
            var (a, b) = (v.A, v.B);
            if (a >= 0 && chain[a]) (outline.TryGetValue(a, out var la) ? la : outline[a] = []).Add((v.P1, v.P2));
            if (b >= 0 && chain[b]) (outline.TryGetValue(b, out var lb) ? lb : outline[b] = []).Add((v.P1, v.P2));
        }
        var chained = outline.Keys.ToArray();
        MeasuredFromEdges = n - chain.Count(c => c);
        Parallel.For(0, chained.Length, new ParallelOptions { CancellationToken = ct }, () => new AreaClip(area, outlineSegments), (k, _, clip) =>
        {
            var i = chained[k];
            (areas[i], perims[i]) = clip.Measure(Territory(outline[i], factory), footprints[i], interior);
            return clip;
        }, _ => { });
        for (var i = 0; i < n; i++)
            if (chain[i] && !outline.ContainsKey(i)) { areas[i] = footprints[i].Area; perims[i] = footprints[i].Length; }
        lap("territory measures");
        return (new Geometry?[n], pairs, areas, perims);
    }

    /// <summary>The segments of the area's outline, indexed by their envelopes.</summary>
    private static STRtree<int> OutlineSegments(Geometry area)
    {
        var tree = new STRtree<int>();
        foreach (var ring in Rings(area))
        {
            var seq = ring.CoordinateSequence;
            for (var k = 0; k + 1 < seq.Count; k++)
                tree.Insert(new Envelope(seq.GetX(k), seq.GetX(k + 1), seq.GetY(k), seq.GetY(k + 1)), k);
        }
        tree.Build();
        return tree;
    }

    /// <summary>True when no segment of the area's outline has its envelope within <paramref name="t"/>'s and a vertex of
    /// every part of t lies in the area's interior: then t lies in the interior (the outline crosses none of it).</summary>
    private static bool ClearlyInside(Geometry t, STRtree<int> outlineSegments, NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator inside)
    {
        if (outlineSegments.Query(t.EnvelopeInternal).Count > 0) return false;
        for (var k = 0; k < t.NumGeometries; k++)
        {
            var part = t.GetGeometryN(k);
            if (part.IsEmpty || inside.Locate(part.Coordinate) != Location.Interior) return false;
        }
        return true;
    }
}
