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
        var keys = pairs.Keys.ToArray();
        Array.Sort(keys);
        foreach (var key in keys)
        {
            var a = (int)(key >> 32); var b = (int)(key & 0xffffffff);
            edges.Add((a, b, pairs[key], !cut(a, b)));
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
    /// Shared boundary length per unit pair, by exact segment matching (hashed on the end points, on all cores: <see cref="SegmentTable"/>),
    /// and the segments left unmatched — the only ones along which two units can still touch without sharing vertices — in the
    /// order they were first listed.
    /// </summary>
    internal static Dictionary<long, double> SharedSegments(IReadOnlyList<Geometry?> geoms, out List<LooseSegment> unmatched) =>
        SegmentTable.Match(geoms, PairKeyComparer.Instance, out unmatched);

    /// <summary>The shell and holes of every polygon of <paramref name="g"/>, in order.</summary>
    internal static IEnumerable<LineString> Rings(Geometry g)
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
        var footprintAreas = new double[n]; var lengths = new double[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i => { footprintAreas[i] = footprints[i].Area; lengths[i] = footprints[i].Length; });
        Array.Sort(footprintAreas);
        var medianArea = footprintAreas[n / 2];
        var size = Math.Sqrt(Math.Max(medianArea, 1e-6));
        // The default area (the units' hull with a margin) is made on one core while the others list the sites; it is
        // first needed for the frame around them.
        var areaTask = Area is { } given ? Task.FromResult(given)
            : Task.Run(() => OctagonFilter.Hull(footprints, factory).Buffer(size), ct);
        // Sites along each outline: a spacing of about a quarter of a typical compound's side keeps the
        // territory boundary in the middle of the road between two compounds.
        var perimeterTotal = 0.0;
        foreach (var l in lengths) perimeterTotal += l;
        var spacing = Math.Max(size / 3, perimeterTotal / MaxSites);
        var coords = new List<(double X, double Y)>();
        var owners = new List<int>();
        // Each unit's sites (points along its outline, then an interior point) are listed on all cores, then kept in unit
        // order, a point already listed by an earlier unit skipped (SiteTable): the same sites in the same order as one pass.
        var unitSites = new (double X, double Y)[n][];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i => unitSites[i] = UnitSites(footprints[i], spacing));
        var listed = new int[n + 1];
        for (var i = 0; i < n; i++) listed[i + 1] = listed[i] + unitSites[i].Length;
        var lx = new double[listed[n]]; var ly = new double[listed[n]]; var lu = new int[listed[n]];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i =>
        {
            for (var k = 0; k < unitSites[i].Length; k++) { lx[listed[i] + k] = unitSites[i][k].X; ly[listed[i] + k] = unitSites[i][k].Y; lu[listed[i] + k] = i; }
        });
        var sites = new SiteTable(lx, ly, lu, ct);
        var first = sites.Firsts(ct);
        coords.Capacity = owners.Capacity = listed[n] + 16_000;
        for (var k = 0; k < first.Length; k++)
            if (first[k]) { coords.Add((lx[k], ly[k])); owners.Add(lu[k]); }
        unitSites = null;
        ct.ThrowIfCancellationRequested();
        var area = areaTask.GetAwaiter().GetResult();
        lap("sites");
        // Incremental Delaunay with a walking point locator is fast only when consecutive sites are near each
        // other: insert them in snake order (bands of rows, alternating direction) instead of NTS's x-sorted
        // order, which makes each walk cross the whole data set (hours for 500,000 sites instead of seconds).
        // A frame of sites that belong to no unit, around the area: it bounds the outer cells (otherwise the
        // hull's near-degenerate triangles put Voronoi vertices thousands of kilometres away).
        var frame = new Envelope(area.EnvelopeInternal);
        frame.ExpandBy(2 * size);
        var frameStep = Math.Max(spacing * 2, Math.Max(frame.Width, frame.Height) / 4000);
        void AddFrame(double fx, double fy) { coords.Add((fx, fy)); owners.Add(sites.OwnerAt(fx, fy)); }
        for (var fx = frame.MinX; fx < frame.MaxX; fx += frameStep)
        {
            AddFrame(fx, frame.MinY); AddFrame(fx + frameStep / 2, frame.MaxY);
        }
        for (var fy = frame.MinY; fy < frame.MaxY; fy += frameStep)
        {
            AddFrame(frame.MinX, fy + frameStep / 2); AddFrame(frame.MaxX, fy);
        }
        double envMinX = double.PositiveInfinity, envMinY = double.PositiveInfinity, envMaxX = double.NegativeInfinity, envMaxY = double.NegativeInfinity;
        foreach (var (cx, cy) in coords)
        {
            envMinX = Math.Min(envMinX, cx); envMaxX = Math.Max(envMaxX, cx);
            envMinY = Math.Min(envMinY, cy); envMaxY = Math.Max(envMaxY, cy);
        }
        var siteEnv = new Envelope(envMinX, envMaxX, envMinY, envMaxY);
        var band = Math.Max(Math.Sqrt(siteEnv.Area / Math.Max(1, coords.Count)) * 4, 1e-9);
        // A tiny deterministic jitter (a millionth of the site spacing) breaks the exact collinearity of sites
        // along straight compound walls, on which the walking locator can cycle; the site → unit map keeps the
        // exact coordinates.
        var jitter = new Random(12345);
        var jittered = new HashSet<(double, double)>(coords.Count, XYComparer.Instance);
        // Snake order: by band, then x (alternating direction), ties in list order — the order the stable LINQ sort
        // gave, from keys computed once instead of in every comparison.
        var keyed = new SnakeKey[coords.Count];
        var bandCount = 0;
        for (var i = 0; i < coords.Count; i++)
        {
            var (cx, cy) = coords[i];
            var b = (int)Math.Floor((cy - siteEnv.MinY) / band);
            keyed[i] = new SnakeKey(b, (b & 1) == 0 ? cx : -cx, i);
            bandCount = Math.Max(bandCount, b + 1);
        }
        // Sorted by band with a counting pass, then each band along its row on all cores (0.02 s instead of 0.08–0.17 s for
        // 500,000 sites): the order is total, so this is the one order a single sort gives.
        var bandStart = new int[bandCount + 1];
        foreach (var k in keyed) bandStart[k.Band + 1]++;
        for (var b = 0; b < bandCount; b++) bandStart[b + 1] += bandStart[b];
        var snakeKeys = new SnakeKey[keyed.Length];
        var fill = (int[])bandStart.Clone();
        foreach (var k in keyed) snakeKeys[fill[k.Band]++] = k;
        keyed = null;
        Parallel.For(0, bandCount, new ParallelOptions { CancellationToken = ct }, b => Array.Sort(snakeKeys, bandStart[b], bandStart[b + 1] - bandStart[b]));
        // The triangulated sites, in snake order: jittered position and owning unit (−1: the frame).
        var sx = new double[coords.Count]; var sy = new double[coords.Count]; var so = new int[coords.Count];
        var m = 0;
        foreach (var key in snakeKeys)
        {
            var (cx, cy) = coords[key.Index];
            var jx = cx + (jitter.NextDouble() - 0.5) * spacing * 1e-6;
            var jy = cy + (jitter.NextDouble() - 0.5) * spacing * 1e-6;
            if (!jittered.Add((jx, jy))) continue;
            sx[m] = jx; sy[m] = jy; so[m] = owners[key.Index]; m++;
        }
        Array.Resize(ref sx, m); Array.Resize(ref sy, m); Array.Resize(ref so, m);
        snakeKeys = null; jittered = null; coords = null; owners = null;
        // Each Delaunay edge between two sites with a triangle on both sides: its ends and the third corners of the
        // two triangles (the Voronoi edge joins their circumcentres), as site indices.
        // With the sweep-hull triangulation each triangle's circumcentre is computed once (T1/T2: the triangles on the two
        // sides, −1 when computed per edge) — the same value from any of its three edges, since Circumcentre orders its corners —
        // and located in the area once, when its corners are not all one unit's.
        (int O, int D, int L, int R, int T1, int T2)[] dual;
        var interior = new InteriorGrid(area);
        // Circumcentres as coordinate arrays, not Coordinate objects: a million small objects kept alive through the next
        // stage cost the collector more than computing them.
        double[] centreX = [], centreY = [];
        bool[] centreInside = [];
        if (NtsDelaunay)
        {
            var vertices = new List<NetTopologySuite.Triangulate.QuadEdge.Vertex>(m);
            for (var i = 0; i < m; i++) vertices.Add(new Site(sx[i], sy[i], i));
            var subdivision = new NetTopologySuite.Triangulate.QuadEdge.QuadEdgeSubdivision(siteEnv, 0);
            new NetTopologySuite.Triangulate.IncrementalDelaunayTriangulator(subdivision).InsertSites(vertices);
            // Every quad-edge the subdivision holds is one undirected edge: no traversal (GetPrimaryEdges keeps a visited set).
            var list = new List<(int O, int D, int L, int R, int T1, int T2)>(3 * m);
            foreach (var e in subdivision.GetEdges())
                if (e.IsLive && e.Orig is Site o && e.Dest is Site d && e.LNext.Dest is Site left && e.Sym.LNext.Dest is Site right)
                    list.Add((o.Index, d.Index, left.Index, right.Index, -1, -1));
            dual = [.. list];
        }
        else
        {
            var dt = new SweepHullDelaunay(sx, sy);
            var tri = dt.Triangles; var half = dt.Halfedges;
            centreX = new double[dt.Count / 3]; centreY = new double[centreX.Length];
            centreInside = new bool[centreX.Length];
            Parallel.For(0, centreX.Length, new ParallelOptions { CancellationToken = ct },
                () => (NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator?)null, (t, _, locator) =>
            {
                int a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2];
                var (x, y) = Circumcentre(sx, sy, a, b, c);
                centreX[t] = x; centreY[t] = y;
                if (so[a] != so[b] || so[a] != so[c]) centreInside[t] = interior.Inside(x, y, ref locator);
                return locator;
            }, _ => { });
            // Each inner edge once, from the half-edge whose twin comes later (the hull's have none, −1), in half-edge order:
            // counted per block, then filled on all cores.
            const int block = 1 << 16;
            var blocks = (dt.Count + block - 1) / block;
            var start = new int[blocks + 1];
            Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, k =>
            {
                var count = 0;
                for (int e = k * block, end = Math.Min(dt.Count, e + block); e < end; e++) if (half[e] > e) count++;
                start[k + 1] = count;
            });
            for (var k = 0; k < blocks; k++) start[k + 1] += start[k];
            var edges = dual = new (int O, int D, int L, int R, int T1, int T2)[start[blocks]];
            Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, k =>
            {
                var i = start[k];
                for (int e = k * block, end = Math.Min(dt.Count, e + block); e < end; e++)
                {
                    var opp = half[e];
                    if (opp < e) continue; // the hull (−1), or the pair seen from its other half-edge
                    edges[i++] = (tri[e], tri[SweepHullDelaunay.Next(e)], tri[SweepHullDelaunay.Prev(e)], tri[SweepHullDelaunay.Prev(opp)], e / 3, opp / 3);
                }
            });
        }
        lap("delaunay");
        // Shared boundary of two territories = the Voronoi edges between their sites: the dual of a Delaunay edge
        // joins the circumcentres of the triangles on its two sides. Summing those is exact and far cheaper than
        // matching polygons' segments; the same edges, per unit, are its territory's outline.
        // Sized once (about three neighbours per unit; 100,000 compounds have 298,728 pairs) instead of grown and rehashed
        // some twenty times.
        var pairs = new Dictionary<long, double>(3 * n + 1024, PairKeyComparer.Instance);
        var outline = new List<(Coordinate P, Coordinate Q)>[KeepTerritories ? n : 0];
        for (var i = 0; i < outline.Length; i++) outline[i] = [];
        // The Voronoi edge of each (circumcentres, clipped length) is computed on all cores into its own slot; the
        // outlines and lengths are then gathered in edge order, so the sums are the same as one pass. The slots (84 MB on
        // 100,000 compounds) are outside the collected heap: as an array they set off a full collection.
        using var voronoi = new NativeBuffer<VoronoiEdge>(dual.Length);
        Parallel.For(0, dual.Length, new ParallelOptions { CancellationToken = ct },
            () => (NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator?)null, (t, _, inside) =>
        {
            var (o, d, left, right, t1, t2) = dual[t];
            int a = so[o], b = so[d];
            if (a == b) return inside;
            var (x1, y1) = t1 >= 0 ? (centreX[t1], centreY[t1]) : Circumcentre(sx, sy, o, d, left);
            var (x2, y2) = t2 >= 0 ? (centreX[t2], centreY[t2]) : Circumcentre(sx, sy, o, d, right);
            if (x1 == x2 && y1 == y2) return inside;
            var len = 0.0;
            var bothInside = false;
            if (a >= 0 && b >= 0)
            {
                bothInside = (t1 >= 0 ? centreInside[t1] : interior.Inside(x1, y1, ref inside)) && (t2 >= 0 ? centreInside[t2] : interior.Inside(x2, y2, ref inside));
                // Coordinate.Distance's arithmetic.
                if (bothInside) { double dx = x1 - x2, dy = y1 - y2; len = Math.Sqrt(dx * dx + dy * dy); }
                else len = interior.LengthInside(x1, y1, x2, y2, ref inside);
            }
            voronoi[t] = new VoronoiEdge(a, b, x1, y1, x2, y2, len, bothInside);
            return inside;
        }, _ => { });
        // Without polygons (KeepTerritories = false) each unit's area, perimeter and the sum of its oriented edge vectors
        // (zero when its edges close up) are summed here; a unit with an edge not inside the area is chained and clipped below.
        var keep = KeepTerritories;
        var measure = keep ? null : new TerritoryMeasure[n];
        for (var t = 0; t < voronoi.Length; t++)
        {
            ref readonly var v = ref voronoi[t];
            if (!v.Live) continue;
            var (a, b, len, bothInside) = (v.A, v.B, v.Len, v.Inside);
            if (keep)
            {
                var (p1, p2) = (v.P1, v.P2);
                if (a >= 0) outline[a].Add((p1, p2));
                if (b >= 0) outline[b].Add((p1, p2));
            }
            else
            {
                // The edge leaves dual[t]'s origin site (unit a) on one side: oriented with that site on its left for a, the other way for b.
                var o = dual[t].O;
                var aLeft = (v.X2 - v.X1) * (sy[o] - v.Y1) - (v.Y2 - v.Y1) * (sx[o] - v.X1) > 0;
                if (a >= 0) { if (aLeft) measure![a].Add(v.X1, v.Y1, v.X2, v.Y2, bothInside); else measure![a].Add(v.X2, v.Y2, v.X1, v.Y1, bothInside); }
                if (b >= 0) { if (aLeft) measure![b].Add(v.X2, v.Y2, v.X1, v.Y1, bothInside); else measure![b].Add(v.X1, v.Y1, v.X2, v.Y2, bothInside); }
            }
            if (a < 0 || b < 0 || len <= 0) continue;
            var key = Key(a, b);
            pairs[key] = pairs.GetValueOrDefault(key) + len;
        }
        lap("territory adjacency");
        if (!keep) return MeasureTerritories(footprints, voronoi, measure!, area, interior, pairs, ct, lap);
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

    /// <summary>A site for NTS's triangulator (<see cref="NtsDelaunay"/>) that knows its index in the tessellation's site
    /// arrays (its position, its unit: −1 for the frame around the area).</summary>
    private sealed class Site(double x, double y, int index) : NetTopologySuite.Triangulate.QuadEdge.Vertex(x, y)
    {
        /// <summary>The site's index in the tessellation's site arrays.</summary>
        public int Index { get; } = index;
    }

    /// <summary>A unit's Voronoi sites: points every <paramref name="spacing"/> metres (4 to 48 of them) along the first
    /// ring of its footprint, then a point inside it (NTS's scan-line interior point).</summary>
    private static (double X, double Y)[] UnitSites(Geometry footprint, double spacing)
    {
        var list = new List<(double X, double Y)>(8);
        foreach (var ring in Rings(footprint).Take(1))
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
                    list.Add((x1 + t * (x2 - x1), y1 + t * (y2 - y1)));
                    next += step;
                }
                walked += sl;
            }
        }
        list.Add(ScanLineInteriorPoint.Of(footprint));
        return [.. list];
    }

    /// <summary>Circumcentre of the triangle of sites a, b, c, computed from its corners in a fixed order (by x, then y) so
    /// that the triangle's three edges get bit-identical points (territory outlines are chained on exact coordinates); the
    /// arithmetic of NTS's <see cref="Triangle.Circumcentre(Coordinate, Coordinate, Coordinate)"/>.</summary>
    private static (double X, double Y) Circumcentre(double[] x, double[] y, int a, int b, int c)
    {
        bool Less(int p, int q) => x[p] < x[q] || (x[p] == x[q] && y[p] < y[q]);
        if (Less(b, a)) (a, b) = (b, a);
        if (Less(c, b)) (b, c) = (c, b);
        if (Less(b, a)) (a, b) = (b, a);
        return CircumcentreXY(x[a], y[a], x[b], y[b], x[c], y[c]);
    }

    /// <summary>The circumcentre of (a, b, c) with the arithmetic of NTS's <see cref="Triangle.Circumcentre(Coordinate, Coordinate, Coordinate)"/>
    /// (Shewchuk's, relative to c), to the bit.</summary>
    internal static Coordinate Circumcentre(double ax0, double ay0, double bx0, double by0, double cx, double cy)
    {
        var (x, y) = CircumcentreXY(ax0, ay0, bx0, by0, cx, cy);
        return new Coordinate(x, y);
    }

    /// <inheritdoc cref="Circumcentre(double, double, double, double, double, double)"/>
    private static (double X, double Y) CircumcentreXY(double ax0, double ay0, double bx0, double by0, double cx, double cy)
    {
        double ax = ax0 - cx, ay = ay0 - cy, bx = bx0 - cx, by = by0 - cy;
        var denom = 2 * (ax * by - ay * bx);
        var numx = ay * (bx * bx + by * by) - (ax * ax + ay * ay) * by;
        var numy = ax * (bx * bx + by * by) - (ax * ax + ay * ay) * bx;
        return (cx - numx / denom, cy + numy / denom);
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
