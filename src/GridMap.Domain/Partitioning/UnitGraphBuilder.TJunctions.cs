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
        // inside the other's: an enclave drawn over its host) are candidates, and only candidates get the exact test
        // of the pairwise build (distance, boundary intersection, overlap) — the same adjacency and lengths, without
        // a polygon distance for every pair of overlapping envelopes (most of the 1.4 s on 4,120 precincts).
        var candidates = new HashSet<long>();
        var segTree = new STRtree<int>(Math.Max(2, Math.Min(16, unmatched.Count)));
        for (var s = 0; s < unmatched.Count; s++)
        {
            var g = unmatched[s];
            var env = new Envelope(g.X1, g.X2, g.Y1, g.Y2);
            env.ExpandBy(1e-6);
            segTree.Insert(env, s);
        }
        if (unmatched.Count > 0) segTree.Build();
        for (var s = 0; s < unmatched.Count; s++)
        {
            var g = unmatched[s];
            var env = new Envelope(g.X1, g.X2, g.Y1, g.Y2);
            foreach (var t in segTree.Query(env))
            {
                var h = unmatched[t];
                if (h.Owner == g.Owner || t < s) continue;
                var key = Key(g.Owner, h.Owner);
                if (pairs.ContainsKey(key) || candidates.Contains(key)) continue;
                if (NetTopologySuite.Algorithm.DistanceComputer.SegmentToSegment(new Coordinate(g.X1, g.Y1), new Coordinate(g.X2, g.Y2),
                        new Coordinate(h.X1, h.Y1), new Coordinate(h.X2, h.Y2)) <= 1e-6)
                    candidates.Add(key);
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
        // Each candidate's exact test is independent (an overlay of two boundaries): run them on all cores, each into its
        // own slot, then add the lengths in key order — the same pairs and lengths as one after another.
        var keys = candidates.Order().ToArray();
        var boundaries = new Geometry?[geoms.Length];
        var involved = keys.SelectMany(k => new[] { (int)(k >> 32), (int)(k & 0xffffffff) }).Distinct().ToArray();
        Parallel.For(0, involved.Length, t => boundaries[involved[t]] = geoms[involved[t]].Boundary);
        var lengths = new double[keys.Length];
        Parallel.For(0, keys.Length, t => lengths[t] = TJunctionLength(geoms, (int)(keys[t] >> 32), (int)(keys[t] & 0xffffffff), boundaries));
        for (var t = 0; t < keys.Length; t++)
            if (lengths[t] > 1e-6) pairs[keys[t]] = lengths[t];
    }

    /// <summary>The pairwise build the indexed <see cref="AddTJunctions"/> replaced: every pair of units whose envelopes
    /// overlap gets the exact test. Kept as the reference the indexed build is tested against.</summary>
    internal static void AddTJunctionsPairwise(Geometry[] geoms, Dictionary<long, double> pairs)
    {
        if (geoms.Length > 50_000) return;
        var tree = new STRtree<int>();
        for (var i = 0; i < geoms.Length; i++) tree.Insert(geoms[i].EnvelopeInternal, i);
        tree.Build();
        var boundaries = new Geometry?[geoms.Length];
        for (var i = 0; i < geoms.Length; i++)
        {
            var env = geoms[i].EnvelopeInternal;
            foreach (var j in tree.Query(env))
            {
                if (j <= i || pairs.ContainsKey(Key(i, j))) continue;
                TJunction(geoms, i, j, boundaries, pairs);
            }
        }
    }

    /// <summary>The exact test of one unit pair (i &lt; j): within 1e-6, the length of their common boundary (or half
    /// the perimeter of their overlap, for slivers), added when positive.</summary>
    private static void TJunction(Geometry[] geoms, int i, int j, Geometry?[] boundaries, Dictionary<long, double> pairs)
    {
        boundaries[i] ??= geoms[i].Boundary;
        boundaries[j] ??= geoms[j].Boundary;
        var len = TJunctionLength(geoms, i, j, boundaries);
        if (len > 1e-6) pairs[Key(i, j)] = len;
    }

    /// <summary>The shared length <see cref="TJunction"/> adds (0: none); the boundaries of i and j must be filled in.</summary>
    private static double TJunctionLength(Geometry[] geoms, int i, int j, Geometry?[] boundaries)
    {
        var a = geoms[i]; var b = geoms[j];
        if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal) || a.Distance(b) > 1e-6) return 0;
        var common = OverlayNGRobust.Overlay(boundaries[i]!, boundaries[j]!, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection);
        var len = common.Length;
        // Slivers from imprecise digitising overlap instead of touching: take half the overlap perimeter.
        if (len <= 0 && a.Intersects(b))
        {
            var ov = OverlayNGRobust.Overlay(a, b, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection);
            if (ov.Area > 0) len = ov.Length / 2;
        }
        return len;
    }
}
