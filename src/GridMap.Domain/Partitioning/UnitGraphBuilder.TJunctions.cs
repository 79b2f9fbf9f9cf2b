using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;

namespace GridMap.Domain.Partitioning;

/// <summary>The adjacency of units that already tile the area but do not share vertices everywhere (T-junctions, slivers).</summary>
public sealed partial class UnitGraphBuilder
{
    /// <summary>
    /// Unit pairs that share a boundary without sharing vertices (a vertex of one in the middle of an edge
    /// of the other, slightly different digitising): found geometrically, kept when the length is positive.
    /// </summary>
    internal static void AddTJunctions(Geometry[] geoms, Dictionary<long, double> pairs, List<LooseSegment> unmatched)
    {
        if (geoms.Length > 50_000) return;
        // Indexed instead of pairwise: two units not yet paired can share boundary only along segments that matched
        // nothing exactly, so only pairs with two such segments within 1e-6 of each other (or one unit's envelope
        // inside the other's: an enclave drawn over its host) are candidates.
        // A candidate's shared length is the sum, over its pairs of loose segments within 1e-6, of the stretch along which
        // they lie on one line (SegmentOverlap) — what the overlay of the two outlines measured, without the overlay: on
        // T-junctions its floating-point noding failed for half the pairs (an exception with the segments written out as
        // text, then a snapping overlay), most of the time the adjacency of 4,120 precincts took.
        var candidates = new HashSet<long>();
        var shared = new Dictionary<long, double>();
        var segTree = new STRtree<int>(Math.Max(2, Math.Min(16, unmatched.Count)));
        for (var s = 0; s < unmatched.Count; s++)
        {
            var g = unmatched[s];
            var env = new Envelope(g.X1, g.X2, g.Y1, g.Y2);
            env.ExpandBy(Touching);
            segTree.Insert(env, s);
        }
        if (unmatched.Count > 0) segTree.Build();
        for (var s = 0; s < unmatched.Count; s++)
        {
            var g = unmatched[s];
            var env = new Envelope(g.X1, g.X2, g.Y1, g.Y2);
            var near = segTree.Query(env);
            // The tree's order is not the index order: the lengths are summed in index order, so the sums do not depend on it.
            if (near.Count > 1) near = near.Order().ToList();
            foreach (var t in near)
            {
                var h = unmatched[t];
                if (h.Owner == g.Owner || t < s) continue;
                var key = Key(g.Owner, h.Owner);
                if (pairs.ContainsKey(key)) continue;
                if (!Near(g, h)) continue;
                candidates.Add(key);
                var overlap = SegmentOverlap(g, h, Touching);
                if (overlap > 0) shared[key] = shared.GetValueOrDefault(key) + overlap;
            }
        }
        var tree = new STRtree<int>();
        for (var i = 0; i < geoms.Length; i++) tree.Insert(geoms[i].EnvelopeInternal, i);
        tree.Build();
        for (var i = 0; i < geoms.Length; i++)
        {
            var env = geoms[i].EnvelopeInternal;
            foreach (var j in tree.Query(env))
                if (j != i && geoms[j].EnvelopeInternal.Covers(env) && !pairs.ContainsKey(Key(i, j))) candidates.Add(Key(i, j));
        }
        // A candidate with no stretch in common may still overlap its neighbour (a sliver from imprecise digitising, an
        // enclave): that test is independent per pair (an overlay of the two polygons), on all cores, each into its own
        // slot, then added in key order.
        var keys = candidates.Order().ToArray();
        var lengths = new double[keys.Length];
        Parallel.For(0, keys.Length, t => lengths[t] = shared.TryGetValue(keys[t], out var len) ? len
            : SliverLength(geoms[(int)(keys[t] >> 32)], geoms[(int)(keys[t] & 0xffffffff)]));
        for (var t = 0; t < keys.Length; t++)
            if (lengths[t] > Touching) pairs[keys[t]] = lengths[t];
    }

    /// <summary>How close (m) two outlines count as touching, and the shortest shared length that makes two units neighbours.</summary>
    private const double Touching = 1e-6;

    /// <summary>Segments within <see cref="Touching"/> of each other: the test that makes a pair a candidate, in both builds.</summary>
    private static bool Near(LooseSegment g, LooseSegment h) =>
        NetTopologySuite.Algorithm.DistanceComputer.SegmentToSegment(new Coordinate(g.X1, g.Y1), new Coordinate(g.X2, g.Y2),
            new Coordinate(h.X1, h.Y1), new Coordinate(h.X2, h.Y2)) <= Touching;

    /// <summary>The length along which segments g and h lie on one line, within <paramref name="tolerance"/>: the shorter
    /// one's ends both within the tolerance of the longer one's line, the stretch of the longer one its projection covers.
    /// 0 when they only cross or touch.</summary>
    internal static double SegmentOverlap(LooseSegment g, LooseSegment h, double tolerance)
    {
        double gl = Math.Sqrt((g.X2 - g.X1) * (g.X2 - g.X1) + (g.Y2 - g.Y1) * (g.Y2 - g.Y1));
        double hl = Math.Sqrt((h.X2 - h.X1) * (h.X2 - h.X1) + (h.Y2 - h.Y1) * (h.Y2 - h.Y1));
        var (b, o, bl) = gl >= hl ? (g, h, gl) : (h, g, hl);
        if (bl <= 0) return 0;
        double dx = (b.X2 - b.X1) / bl, dy = (b.Y2 - b.Y1) / bl;
        // Distances of the shorter segment's ends from the longer one's line, and their positions along it.
        double d1 = dx * (o.Y1 - b.Y1) - dy * (o.X1 - b.X1), d2 = dx * (o.Y2 - b.Y1) - dy * (o.X2 - b.X1);
        if (Math.Abs(d1) > tolerance || Math.Abs(d2) > tolerance) return 0;
        double p1 = dx * (o.X1 - b.X1) + dy * (o.Y1 - b.Y1), p2 = dx * (o.X2 - b.X1) + dy * (o.Y2 - b.Y1);
        return Math.Max(0, Math.Min(bl, Math.Max(p1, p2)) - Math.Max(0, Math.Min(p1, p2)));
    }

    /// <summary>Half the perimeter of the overlap of two units whose outlines share no stretch (a sliver or an enclave);
    /// 0 when their interiors do not meet.</summary>
    private static double SliverLength(Geometry a, Geometry b)
    {
        if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal) || !a.Intersects(b)) return 0;
        // Only touching (interiors apart): no overlap to measure. A relate that fails on odd geometry leaves it to the overlay.
        try { if (a.Touches(b)) return 0; }
        catch (NetTopologySuite.Geometries.TopologyException) { }
        var ov = OverlayNGRobust.Overlay(a, b, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection);
        return ov.Area > 0 ? ov.Length / 2 : 0;
    }

    /// <summary>The pairwise build the indexed <see cref="AddTJunctions"/> replaced: every pair of units whose envelopes
    /// overlap, every pair of their boundary segments within 1e-6 (<see cref="SegmentOverlap"/>), then the sliver test.
    /// Kept as the reference the indexed build is tested against.</summary>
    internal static void AddTJunctionsPairwise(Geometry[] geoms, Dictionary<long, double> pairs)
    {
        if (geoms.Length > 50_000) return;
        var tree = new STRtree<int>();
        for (var i = 0; i < geoms.Length; i++) tree.Insert(geoms[i].EnvelopeInternal, i);
        tree.Build();
        var segments = new List<LooseSegment>?[geoms.Length];
        List<LooseSegment> Segments(int i)
        {
            if (segments[i] is { } known) return known;
            var list = new List<LooseSegment>();
            foreach (var ring in Rings(geoms[i]))
            {
                var seq = ring.CoordinateSequence;
                for (var k = 0; k + 1 < seq.Count; k++)
                    if (seq.GetX(k) != seq.GetX(k + 1) || seq.GetY(k) != seq.GetY(k + 1))
                        list.Add(new LooseSegment(seq.GetX(k), seq.GetY(k), seq.GetX(k + 1), seq.GetY(k + 1), i));
            }
            return segments[i] = list;
        }
        for (var i = 0; i < geoms.Length; i++)
        {
            var env = geoms[i].EnvelopeInternal;
            foreach (var j in tree.Query(env).Order())
            {
                if (j <= i || pairs.ContainsKey(Key(i, j))) continue;
                var len = 0.0;
                foreach (var g in Segments(i))
                    foreach (var h in Segments(j))
                        if (Near(g, h)) len += SegmentOverlap(g, h, Touching);
                if (len <= 0) len = SliverLength(geoms[i], geoms[j]);
                if (len > Touching) pairs[Key(i, j)] = len;
            }
        }
    }
}
