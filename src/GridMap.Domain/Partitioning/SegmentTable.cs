using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Exact segment matching of the units' outlines on all cores (<see cref="UnitGraphBuilder.SharedSegments(IReadOnlyList{Geometry}, out List{UnitGraphBuilder.LooseSegment})"/>):
/// every boundary segment (end points in canonical order, zero-length ones skipped) is listed in unit, ring and vertex order;
/// an open-addressing table keeps, per distinct segment, the lowest listing index (compare-and-swap) and how many times it
/// was listed. From those, one pass in listing order gives what the one-core dictionary pass gave, to the bit: each later
/// listing by another unit adds its length to that unit's pair with the first lister, in the same order; a segment listed
/// once is loose. Segments are equal when their coordinates are equal bit for bit (the dictionary hashed the bits).
/// </summary>
internal static class SegmentTable
{
    private const int Block = 8_192;

    public static Dictionary<long, double> Match(IReadOnlyList<Geometry?> geoms, IEqualityComparer<long> pairComparer,
        out List<UnitGraphBuilder.LooseSegment> unmatched)
    {
        var n = geoms.Count;
        var start = new int[n + 1];
        Parallel.For(0, n, i => start[i + 1] = geoms[i] is { } g ? Walk(g, null, 0, 0) : 0);
        for (var i = 0; i < n; i++) start[i + 1] += start[i];
        var total = start[n];
        var s = new Segments(new double[total], new double[total], new double[total], new double[total], new int[total]);
        Parallel.For(0, n, i => { if (geoms[i] is { } g) Walk(g, s, start[i], i); });

        var capacity = 1 << Math.Max(4, (int)Math.Ceiling(Math.Log2(Math.Max(1, total) * 2.5)));
        var slots = new int[capacity];
        var counts = new int[capacity];
        Array.Fill(slots, -1);
        var mask = capacity - 1;
        var blocks = (total + Block - 1) / Block;
        Parallel.For(0, blocks, b =>
        {
            for (var o = b * Block; o < Math.Min(total, (b + 1) * Block); o++) Claim(s, slots, counts, mask, o);
        });
        // Per listing: the first listing of its segment, and whether the segment was listed more than once.
        var first = new int[total];
        var many = new bool[total];
        Parallel.For(0, blocks, b =>
        {
            for (var o = b * Block; o < Math.Min(total, (b + 1) * Block); o++)
            {
                var slot = Find(s, slots, mask, o);
                first[o] = slots[slot];
                many[o] = counts[slot] > 1;
            }
        });
        var pairs = new Dictionary<long, double>(pairComparer);
        unmatched = [];
        for (var o = 0; o < total; o++)
        {
            var f = first[o];
            if (f == o)
            {
                if (!many[o]) unmatched.Add(new UnitGraphBuilder.LooseSegment(s.X1[o], s.Y1[o], s.X2[o], s.Y2[o], s.Owner[o]));
                continue;
            }
            int i = s.Owner[o], j = s.Owner[f];
            if (i == j) continue;
            var key = i < j ? ((long)i << 32) | (uint)j : ((long)j << 32) | (uint)i;
            double dx = s.X2[o] - s.X1[o], dy = s.Y2[o] - s.Y1[o];
            pairs[key] = pairs.GetValueOrDefault(key) + Math.Sqrt(dx * dx + dy * dy);
        }
        return pairs;
    }

    private sealed record Segments(double[] X1, double[] Y1, double[] X2, double[] Y2, int[] Owner);

    /// <summary>Lists the unit's segments from <paramref name="at"/> on (or only counts them when <paramref name="s"/> is null).</summary>
    private static int Walk(Geometry g, Segments? s, int at, int owner)
    {
        var count = 0;
        foreach (var ring in UnitGraphBuilder.Rings(g))
        {
            var seq = ring.CoordinateSequence;
            for (var k = 0; k + 1 < seq.Count; k++)
            {
                double x1 = seq.GetX(k), y1 = seq.GetY(k), x2 = seq.GetX(k + 1), y2 = seq.GetY(k + 1);
                if (x1 == x2 && y1 == y2) continue;
                if (s is not null)
                {
                    var o = at + count;
                    if (x1 < x2 || (x1 == x2 && y1 < y2)) { s.X1[o] = x1; s.Y1[o] = y1; s.X2[o] = x2; s.Y2[o] = y2; }
                    else { s.X1[o] = x2; s.Y1[o] = y2; s.X2[o] = x1; s.Y2[o] = y1; }
                    s.Owner[o] = owner;
                }
                count++;
            }
        }
        return count;
    }

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    private static int Hash(Segments s, int o)
    {
        var h = (ulong)Bits(s.X1[o]) * 0x9E3779B97F4A7C15UL;
        h = (h ^ (ulong)Bits(s.Y1[o])) * 0xC2B2AE3D27D4EB4FUL;
        h = (h ^ (ulong)Bits(s.X2[o])) * 0x165667B19E3779F9UL;
        h = (h ^ (ulong)Bits(s.Y2[o])) * 0x9E3779B97F4A7C15UL;
        return (int)(h ^ (h >> 32));
    }

    private static bool Same(Segments s, int a, int b) =>
        Bits(s.X1[a]) == Bits(s.X1[b]) && Bits(s.Y1[a]) == Bits(s.Y1[b]) && Bits(s.X2[a]) == Bits(s.X2[b]) && Bits(s.Y2[a]) == Bits(s.Y2[b]);

    private static void Claim(Segments s, int[] slots, int[] counts, int mask, int o)
    {
        for (var slot = Hash(s, o) & mask; ; slot = (slot + 1) & mask)
        {
            var held = Volatile.Read(ref slots[slot]);
            if (held < 0)
            {
                held = Interlocked.CompareExchange(ref slots[slot], o, -1);
                if (held < 0) { Interlocked.Increment(ref counts[slot]); return; }
            }
            if (!Same(s, held, o)) continue;
            Interlocked.Increment(ref counts[slot]);
            // The same segment holds the slot: keep the lower listing index.
            while (o < held)
            {
                var seen = Interlocked.CompareExchange(ref slots[slot], o, held);
                if (seen == held) return;
                held = seen;
            }
            return;
        }
    }

    private static int Find(Segments s, int[] slots, int mask, int o)
    {
        for (var slot = Hash(s, o) & mask; ; slot = (slot + 1) & mask)
        {
            var held = slots[slot];
            if (held >= 0 && Same(s, held, o)) return slot;
        }
    }
}
