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
    /// and clipped as with polygons, and measured. A territory whose edges do not close up is its footprint, as there.</summary>
    private (Geometry?[] Territories, Dictionary<long, double> Pairs, double[]? Areas, double[]? Perimeters) MeasureTerritories(Geometry[] footprints,
        NativeBuffer<VoronoiEdge> voronoi, TerritoryMeasure[] measure, Geometry area,
        Dictionary<long, double> pairs, CancellationToken ct, Action<string> lap)
    {
        var n = footprints.Length;
        var factory = footprints[0].Factory;
        var outlineSegments = OutlineSegments(area);
        var areas = new double[n]; var perims = new double[n];
        var chain = new bool[n];
        for (var i = 0; i < n; i++)
        {
            ref var m = ref measure[i];
            var closes = m.Edges >= 3 && Math.Abs(m.Dx) + Math.Abs(m.Dy) <= 1e-9 * Math.Max(1, m.Perimeter);
            if (closes && !m.Outside && outlineSegments.Query(new Envelope(m.MinX, m.MaxX, m.MinY, m.MaxY)).Count == 0)
            {
                areas[i] = Math.Abs(m.Area2) / 2; perims[i] = m.Perimeter;
            }
            else chain[i] = true;
        }
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
            var t = clip.Territory(Territory(outline[i], factory), footprints[i]);
            areas[i] = t.Area; perims[i] = t.Length;
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
