using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Triangulate;

namespace GridMap.Domain.Partitioning;

/// <summary>How unit territories (the polygons cells are made of) are obtained.</summary>
public enum TessellationMode
{
    /// <summary>Use the unit polygons when most of them share boundaries, tessellate otherwise.</summary>
    Auto,
    /// <summary>Units already tile the area (census tracts, counties): use them as they are.</summary>
    Never,
    /// <summary>Always tessellate the area around the footprints (compounds separated by roads).</summary>
    Always,
}

/// <summary>
/// Builds the <see cref="UnitGraph"/> of partition units (metric geometries). Adjacency is found by
/// matching boundary segments exactly (units of a clean coverage share vertices), with a geometric
/// fallback for T-junctions. Non-touching compounds get territories from a Voronoi diagram of points
/// on their footprint outlines, merged per compound and clipped to the area, so that neighbouring
/// territories share edges exactly and the cells built from them form a valid coverage.
/// Barrier lines cut the adjacency of two units when the segment between their centroids crosses them.
/// </summary>
public sealed partial class UnitGraphBuilder
{
    /// <summary>Where territories come from; default <see cref="TessellationMode.Auto"/>.</summary>
    public TessellationMode Tessellation { get; init; } = TessellationMode.Auto;
    /// <summary>The district to tessellate (metres); default: the convex hull of the units with a margin.</summary>
    public Geometry? Area { get; init; }
    /// <summary>Barrier lines (metres) that cells must not cross.</summary>
    public IReadOnlyList<Geometry> Barriers { get; init; } = [];
    /// <summary>Upper bound on Voronoi sites (keeps 100,000-unit districts within seconds), ≥ 1,000.</summary>
    public int MaxSites { get; init; } = 400_000;
    /// <summary>Triangulate the sites with NTS's incremental quad-edge triangulator instead of the sweep-hull one
    /// (<see cref="SweepHullDelaunay"/>, several times faster); both give the same triangles (tests compare them).</summary>
    internal bool NtsDelaunay { get; init; }
    /// <summary>False: a tessellated graph gets each territory's area and perimeter but not its polygon (the graph's
    /// <see cref="UnitGraph.Territories"/> are null). Territories well inside the area are measured from their Voronoi edges
    /// (area by the shoelace sum over the edges, each oriented with its own unit on the left; perimeter by their
    /// lengths), so their polygons are never chained — what `gridmap partition`, which writes no cell outlines, needs.
    /// Territories near the area's outline are still chained and clipped, then measured. Default true.</summary>
    public bool KeepTerritories { get; init; } = true;
    /// <summary>How many territories the last build without polygons measured from their edges (the rest were chained).</summary>
    internal int MeasuredFromEdges { get; private set; }

    /// <summary>One-call entry point with default options.</summary>
    public static UnitGraph Build(IReadOnlyList<PartitionUnit> units, IReadOnlyList<Geometry>? barriers = null, Geometry? area = null)
        => new UnitGraphBuilder { Barriers = barriers ?? [], Area = area }.BuildGraph(units);

    public UnitGraph BuildGraph(IReadOnlyList<PartitionUnit> units, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Count == 0) throw new ArgumentException("no units to partition.", nameof(units));
        if (MaxSites < 1000) throw new ArgumentOutOfRangeException(nameof(MaxSites), "MaxSites must be at least 1,000.");
        var dup = units.GroupBy(u => u.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"unit id '{dup.Key}' occurs {dup.Count()} times; ids must be unique.");
        var n = units.Count;
        var timings = new Dictionary<string, double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Lap(string stage) { timings[stage] = clock.Elapsed.TotalSeconds; clock.Restart(); }
        var footprints = units.Select(u => u.Geometry).ToArray();
        Geometry?[] territories = footprints;
        double[]? measuredAreas = null, measuredPerims = null;
        var pairs = SharedSegments(footprints, out var unmatched);
        var tessellate = Tessellation == TessellationMode.Always;
        if (Tessellation == TessellationMode.Auto)
        {
            var touching = new bool[n];
            foreach (var key in pairs.Keys) { touching[(int)(key >> 32)] = true; touching[(int)(key & 0xffffffff)] = true; }
            tessellate = n > 1 && touching.Count(t => t) < 0.9 * n;
        }
        Lap("footprint adjacency");
        if (tessellate)
        {
            ct.ThrowIfCancellationRequested();
            (territories, pairs, measuredAreas, measuredPerims) = Tessellate(footprints, ct, Lap);
        }
        else
        {
            AddTJunctions(footprints, pairs, unmatched);
            Lap("t-junctions");
        }
        ct.ThrowIfCancellationRequested();

        var x = new double[n]; var y = new double[n];
        var areas = new double[n]; var perims = new double[n];
        Parallel.For(0, n, i =>
        {
            var c = footprints[i].Centroid;
            x[i] = c.X; y[i] = c.Y;
            areas[i] = measuredAreas?[i] ?? territories[i]?.Area ?? 0;
            perims[i] = measuredPerims?[i] ?? territories[i]?.Length ?? 0;
        });
        var cut = BarrierCut(footprints);
        var edges = new List<(int, int, double, bool)>(pairs.Count);
        foreach (var (key, len) in pairs.OrderBy(p => p.Key))
        {
            var a = (int)(key >> 32); var b = (int)(key & 0xffffffff);
            edges.Add((a, b, len, !cut(a, b)));
        }
        Lap("measures and barriers");
        return new UnitGraph(units.Select(u => u.Id).ToArray(), units.Select(u => u.Weight).ToArray(),
            units.Select(u => u.Parent).ToArray(), areas, perims, x, y, territories, edges, tessellate) { BuildTimings = timings };
    }

    /// <summary>
    /// Hashes a unit-pair key with full mixing. long's own hash is (low ^ high) = a ^ b, which for neighbours with
    /// nearby indices collapses hundreds of thousands of pairs onto a few buckets (26 s instead of 1 s at 100,000 units).
    /// </summary>
    private sealed class PairKeyComparer : IEqualityComparer<long>
    {
        public static readonly PairKeyComparer Instance = new();
        public bool Equals(long x, long y) => x == y;
        public int GetHashCode(long key)
        {
            var h = (ulong)key * 0x9E3779B97F4A7C15UL;
            return (int)(h ^ (h >> 29) ^ (h >> 47));
        }
    }

    private static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    /// <summary>Shared boundary length per unit pair, by exact segment matching.</summary>
    internal static Dictionary<long, double> SharedSegments(IReadOnlyList<Geometry?> geoms) => SharedSegments(geoms, out _);

    /// <summary>A boundary segment of a unit that no other unit has exactly (outer boundary, T-junctions, slivers).</summary>
    internal readonly record struct LooseSegment(double X1, double Y1, double X2, double Y2, int Owner);

    /// <summary>
    /// Shared boundary length per unit pair, by exact segment matching (hashed on the end points), and the segments
    /// left unmatched: the only ones along which two units can still touch without sharing vertices.
    /// </summary>
    internal static Dictionary<long, double> SharedSegments(IReadOnlyList<Geometry?> geoms, out List<LooseSegment> unmatched)
    {
        var total = 0;
        foreach (var g in geoms) total += g?.NumPoints ?? 0;
        // Segment → its first owner, or ~owner once another unit (or the same one) has had it too.
        var owner = new Dictionary<SegmentKey, int>(total);
        var pairs = new Dictionary<long, double>(PairKeyComparer.Instance);
        for (var i = 0; i < geoms.Count; i++)
        {
            var g = geoms[i];
            if (g is null) continue;
            foreach (var ring in Rings(g))
            {
                var seq = ring.CoordinateSequence;
                for (var k = 0; k + 1 < seq.Count; k++)
                {
                    double x1 = seq.GetX(k), y1 = seq.GetY(k), x2 = seq.GetX(k + 1), y2 = seq.GetY(k + 1);
                    if (x1 == x2 && y1 == y2) continue;
                    var key = (x1 < x2 || (x1 == x2 && y1 < y2)) ? new SegmentKey(x1, y1, x2, y2) : new SegmentKey(x2, y2, x1, y1);
                    ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(owner, key, out var exists);
                    if (exists)
                    {
                        var j = slot < 0 ? ~slot : slot;
                        if (j != i)
                        {
                            var pk = Key(i, j);
                            pairs[pk] = pairs.GetValueOrDefault(pk) + Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
                        }
                        slot = ~j;
                    }
                    else slot = i;
                }
            }
        }
        unmatched = [];
        foreach (var (key, o) in owner)
            if (o >= 0) unmatched.Add(new LooseSegment(key.X1, key.Y1, key.X2, key.Y2, o));
        return pairs;
    }

    /// <summary>A boundary segment with its end points in canonical order, hashed on the raw bits.</summary>
    private readonly record struct SegmentKey(double X1, double Y1, double X2, double Y2)
    {
        public bool Equals(SegmentKey o) => X1 == o.X1 && Y1 == o.Y1 && X2 == o.X2 && Y2 == o.Y2;
        public override int GetHashCode()
        {
            var h = (ulong)BitConverter.DoubleToInt64Bits(X1) * 0x9E3779B97F4A7C15UL;
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(Y1)) * 0xC2B2AE3D27D4EB4FUL;
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(X2)) * 0x165667B19E3779F9UL;
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(Y2)) * 0x9E3779B97F4A7C15UL;
            return (int)(h ^ (h >> 32));
        }
    }

    private static IEnumerable<LineString> Rings(Geometry g)
    {
        for (var p = 0; p < g.NumGeometries; p++)
        {
            if (g.GetGeometryN(p) is not Polygon poly) continue;
            yield return poly.ExteriorRing;
            foreach (var h in poly.InteriorRings) yield return h;
        }
    }

    private (Geometry?[] Territories, Dictionary<long, double> Pairs, double[]? Areas, double[]? Perimeters) Tessellate(Geometry[] footprints,
        CancellationToken ct, Action<string> lap)
    {
        var n = footprints.Length;
        var factory = footprints[0].Factory;
        var all = factory.BuildGeometry(footprints);
        var footprintAreas = new double[n];
        for (var i = 0; i < n; i++) footprintAreas[i] = footprints[i].Area;
        Array.Sort(footprintAreas);
        var medianArea = footprintAreas[n / 2];
        var size = Math.Sqrt(Math.Max(medianArea, 1e-6));
        var area = Area ?? all.ConvexHull().Buffer(size);
        // Sites along each outline: a spacing of about a quarter of a typical compound's side keeps the
        // territory boundary in the middle of the road between two compounds.
        var perimeterTotal = footprints.Sum(f => f.Length);
        var spacing = Math.Max(size / 3, perimeterTotal / MaxSites);
        var sites = new Dictionary<(double, double), int>(XYComparer.Instance);
        var coords = new List<Coordinate>();
        // Interior points (a polygon scan each) on all cores; the sites are then listed in unit order as before.
        var interior = new Coordinate[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i => interior[i] = footprints[i].InteriorPoint.Coordinate);
        for (var i = 0; i < n; i++)
        {
            foreach (var ring in Rings(footprints[i]).Take(1))
            {
                var seq = ring.CoordinateSequence;
                var len = ring.Length;
                var count = Math.Clamp((int)(len / spacing), 4, 48);
                var step = len / count;
                var walked = 0.0; var next = 0.0;
                for (var k = 0; k + 1 < seq.Count; k++)
                {
                    double x1 = seq.GetX(k), y1 = seq.GetY(k), x2 = seq.GetX(k + 1), y2 = seq.GetY(k + 1);
                    var sl = Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
                    while (next <= walked + sl && sl > 0)
                    {
                        var t = (next - walked) / sl;
                        var p = (x1 + t * (x2 - x1), y1 + t * (y2 - y1));
                        if (sites.TryAdd(p, i)) coords.Add(new Coordinate(p.Item1, p.Item2));
                        next += step;
                    }
                    walked += sl;
                }
            }
            var c = interior[i];
            if (sites.TryAdd((c.X, c.Y), i)) coords.Add(c);
        }
        ct.ThrowIfCancellationRequested();
        lap("sites");
        // Incremental Delaunay with a walking point locator is fast only when consecutive sites are near each
        // other: insert them in snake order (bands of rows, alternating direction) instead of NTS's x-sorted
        // order, which makes each walk cross the whole data set (hours for 500,000 sites instead of seconds).
        // A frame of sites that belong to no unit, around the area: it bounds the outer cells (otherwise the
        // hull's near-degenerate triangles put Voronoi vertices thousands of kilometres away).
        var frame = new Envelope(area.EnvelopeInternal);
        frame.ExpandBy(2 * size);
        var frameStep = Math.Max(spacing * 2, Math.Max(frame.Width, frame.Height) / 4000);
        for (var fx = frame.MinX; fx < frame.MaxX; fx += frameStep)
        {
            coords.Add(new Coordinate(fx, frame.MinY)); coords.Add(new Coordinate(fx + frameStep / 2, frame.MaxY));
        }
        for (var fy = frame.MinY; fy < frame.MaxY; fy += frameStep)
        {
            coords.Add(new Coordinate(frame.MinX, fy + frameStep / 2)); coords.Add(new Coordinate(frame.MaxX, fy));
        }
        var siteEnv = new Envelope();
        foreach (var c in coords) siteEnv.ExpandToInclude(c);
        var band = Math.Max(Math.Sqrt(siteEnv.Area / Math.Max(1, coords.Count)) * 4, 1e-9);
        // A tiny deterministic jitter (a millionth of the site spacing) breaks the exact collinearity of sites
        // along straight compound walls, on which the walking locator can cycle; the site → unit map keeps the
        // exact coordinates.
        var jitter = new Random(12345);
        var jittered = new HashSet<(double, double)>(coords.Count, XYComparer.Instance);
        var ordered = new List<NetTopologySuite.Triangulate.QuadEdge.Vertex>(coords.Count);
        // Snake order: by band, then x (alternating direction), ties in list order — the order the stable LINQ sort
        // gave, from keys computed once instead of in every comparison.
        var snakeKeys = new SnakeKey[coords.Count];
        for (var i = 0; i < coords.Count; i++)
        {
            var c = coords[i];
            var b = (int)Math.Floor((c.Y - siteEnv.MinY) / band);
            snakeKeys[i] = new SnakeKey(b, (b & 1) == 0 ? c.X : -c.X, i);
        }
        Array.Sort(snakeKeys);
        var snake = new int[coords.Count];
        for (var i = 0; i < snake.Length; i++) snake[i] = snakeKeys[i].Index;
        foreach (var c in snake.Select(i => coords[i]))
        {
            var jx = c.X + (jitter.NextDouble() - 0.5) * spacing * 1e-6;
            var jy = c.Y + (jitter.NextDouble() - 0.5) * spacing * 1e-6;
            if (!jittered.Add((jx, jy))) continue;
            ordered.Add(new Site(jx, jy, sites.GetValueOrDefault((c.X, c.Y), -1)));
        }
        // Each Delaunay edge between two sites with a triangle on both sides: its ends and the third corners of the
        // two triangles (the Voronoi edge joins their circumcentres).
        // With the sweep-hull triangulation each triangle's circumcentre is computed once (T1/T2: the triangles on the two
        // sides, −1 when computed per edge) — the same value from any of its three edges, since Circumcentre orders its corners.
        var dual = new List<(Site O, Site D, Site L, Site R, int T1, int T2)>(3 * ordered.Count);
        Coordinate[] centres = [];
        if (NtsDelaunay)
        {
            var subdivision = new NetTopologySuite.Triangulate.QuadEdge.QuadEdgeSubdivision(siteEnv, 0);
            new NetTopologySuite.Triangulate.IncrementalDelaunayTriangulator(subdivision).InsertSites(ordered);
            // Every quad-edge the subdivision holds is one undirected edge: no traversal (GetPrimaryEdges keeps a visited set).
            foreach (var e in subdivision.GetEdges())
                if (e.IsLive && e.Orig is Site so && e.Dest is Site sd && e.LNext.Dest is Site left && e.Sym.LNext.Dest is Site right)
                    dual.Add((so, sd, left, right, -1, -1));
        }
        else
        {
            var xs = new double[ordered.Count]; var ys = new double[ordered.Count];
            for (var i = 0; i < xs.Length; i++) { xs[i] = ordered[i].X; ys[i] = ordered[i].Y; }
            var dt = new SweepHullDelaunay(xs, ys);
            var tri = dt.Triangles; var half = dt.Halfedges;
            centres = new Coordinate[dt.Count / 3];
            Parallel.For(0, centres.Length, new ParallelOptions { CancellationToken = ct },
                t => centres[t] = Circumcentre((Site)ordered[tri[3 * t]], (Site)ordered[tri[3 * t + 1]], (Site)ordered[tri[3 * t + 2]]));
            for (var e = 0; e < dt.Count; e++)
            {
                var opp = half[e];
                if (opp < e) continue; // the hull (−1), or the pair seen from its other half-edge
                dual.Add(((Site)ordered[tri[e]], (Site)ordered[tri[SweepHullDelaunay.Next(e)]], (Site)ordered[tri[SweepHullDelaunay.Prev(e)]],
                    (Site)ordered[tri[SweepHullDelaunay.Prev(opp)]], e / 3, opp / 3));
            }
        }
        lap("delaunay");
        // Shared boundary of two territories = the Voronoi edges between their sites: the dual of a Delaunay edge
        // joins the circumcentres of the triangles on its two sides. Summing those is exact and far cheaper than
        // matching polygons' segments; the same edges, per unit, are its territory's outline.
        var pairs = new Dictionary<long, double>(PairKeyComparer.Instance);
        var outline = new List<(Coordinate P, Coordinate Q)>[KeepTerritories ? n : 0];
        for (var i = 0; i < outline.Length; i++) outline[i] = [];
        // The Voronoi edge of each (circumcentres, clipped length) is computed on all cores into its own slot; the
        // outlines and lengths are then gathered in edge order, so the sums are the same as one pass.
        var voronoi = new (int A, int B, Coordinate? P1, Coordinate? P2, double Len, bool Inside)[dual.Count];
        Parallel.For(0, dual.Count, new ParallelOptions { CancellationToken = ct },
            () => new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(area), (t, _, inside) =>
        {
            var (so, sd, left, right, t1, t2) = dual[t];
            int a = so.Owner, b = sd.Owner;
            if (a == b) return inside;
            var p1 = t1 >= 0 ? centres[t1] : Circumcentre(so, sd, left);
            var p2 = t2 >= 0 ? centres[t2] : Circumcentre(so, sd, right);
            if (p1.Equals2D(p2)) return inside;
            var len = 0.0;
            var bothInside = false;
            if (a >= 0 && b >= 0)
            {
                bothInside = inside.Locate(p1) == Location.Interior && inside.Locate(p2) == Location.Interior;
                if (bothInside) len = p1.Distance(p2);
                else len = OverlayNGRobust.Overlay(factory.CreateLineString([p1, p2]), area, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection).Length;
            }
            voronoi[t] = (a, b, p1, p2, len, bothInside);
            return inside;
        }, _ => { });
        // Without polygons (KeepTerritories = false) each unit's area, perimeter and the sum of its oriented edge vectors
        // (zero when its edges close up) are summed here; a unit with an edge not inside the area is chained and clipped below.
        var keep = KeepTerritories;
        var measure = keep ? null : new TerritoryMeasure[n];
        for (var t = 0; t < voronoi.Length; t++)
        {
            var (a, b, p1, p2, len, bothInside) = voronoi[t];
            if (p1 is null || p2 is null) continue;
            if (keep)
            {
                if (a >= 0) outline[a].Add((p1, p2));
                if (b >= 0) outline[b].Add((p1, p2));
            }
            else
            {
                // The edge leaves dual[t]'s origin site (unit a) on one side: oriented with that site on its left for a, the other way for b.
                var so = dual[t].O;
                var aLeft = (p2.X - p1.X) * (so.Y - p1.Y) - (p2.Y - p1.Y) * (so.X - p1.X) > 0;
                if (a >= 0) measure![a].Add(aLeft ? p1 : p2, aLeft ? p2 : p1, bothInside);
                if (b >= 0) measure![b].Add(aLeft ? p2 : p1, aLeft ? p1 : p2, bothInside);
            }
            if (a < 0 || b < 0 || len <= 0) continue;
            var key = Key(a, b);
            pairs[key] = pairs.GetValueOrDefault(key) + len;
        }
        lap("territory adjacency");
        if (!keep) return MeasureTerritories(footprints, voronoi, measure!, area, pairs, ct, lap);
        var result = new Geometry?[n];
        // Each territory is independent: chain and clip them in parallel, one view of the area per worker thread.
        var outlineSegments = OutlineSegments(area);
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, () => new AreaClip(area, outlineSegments), (i, _, clip) =>
        {
            result[i] = clip.Territory(Territory(outline[i], factory), footprints[i]);
            return clip;
        }, _ => { });
        lap("territory outlines and clip");
        return (result, pairs, null, null);
    }

    /// <summary>A site's place in snake order: its band, its position along the band (x, negated in odd bands), then its
    /// index — a total order, so the (unstable) sort gives the one order there is.</summary>
    private readonly record struct SnakeKey(int Band, double Along, int Index) : IComparable<SnakeKey>
    {
        public int CompareTo(SnakeKey o) => Band != o.Band ? Band.CompareTo(o.Band) : Along != o.Along ? Along.CompareTo(o.Along) : Index.CompareTo(o.Index);
    }

    /// <summary>Point keys compared by value (as the tuple's own equality: 0 equals −0) and hashed on their bits with full
    /// mixing, several times cheaper than the tuple's default comparer on 500,000 sites.</summary>
    private sealed class XYComparer : IEqualityComparer<(double X, double Y)>
    {
        public static readonly XYComparer Instance = new();
        public bool Equals((double X, double Y) a, (double X, double Y) b) => a.X.Equals(b.X) && a.Y.Equals(b.Y);
        public int GetHashCode((double X, double Y) p)
        {
            // + 0.0 turns −0 into 0, so equal keys hash alike.
            var h = (ulong)BitConverter.DoubleToInt64Bits(p.X + 0.0) * 0x9E3779B97F4A7C15UL;
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(p.Y + 0.0)) * 0xC2B2AE3D27D4EB4FUL;
            return (int)(h ^ (h >> 31));
        }
    }

    /// <summary>A Delaunay site that knows the unit it belongs to (−1: the frame around the area).</summary>
    private sealed class Site(double x, double y, int owner) : NetTopologySuite.Triangulate.QuadEdge.Vertex(x, y)
    {
        public int Owner { get; } = owner;
    }

    /// <summary>Circumcentre of a triangle, computed from its vertices in a fixed order so that the triangle's
    /// three edges get bit-identical points (territory outlines are chained on exact coordinates).</summary>
    private static Coordinate Circumcentre(Site a, Site b, Site c)
    {
        static bool Less(Site p, Site q) => p.X < q.X || (p.X == q.X && p.Y < q.Y);
        if (Less(b, a)) (a, b) = (b, a);
        if (Less(c, b)) (b, c) = (c, b);
        if (Less(b, a)) (a, b) = (b, a);
        return Triangle.Circumcentre(a.Coordinate, b.Coordinate, c.Coordinate);
    }

    private Func<int, int, bool> BarrierCut(Geometry[] footprints)
    {
        if (Barriers.Count == 0) return (_, _) => false;
        var factory = footprints[0].Factory;
        var union = factory.BuildGeometry(Barriers);
        var prepared = PreparedGeometryFactory.Prepare(union);
        var pts = footprints.Select(f => f.InteriorPoint.Coordinate).ToArray();
        return (a, b) => prepared.Intersects(factory.CreateLineString([pts[a], pts[b]]));
    }
}
