using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>
/// Nearest-point queries over a growing set of points in metres, by uniform buckets searched ring by ring
/// (NTS's KdTree degenerates on points inserted along lines, which is how road nodes arrive).
/// </summary>
internal sealed class PointGrid(double cellM)
{
    private readonly Dictionary<(long, long), List<(Coordinate At, int Id)>> _cells = new();
    private int _count;

    public void Insert(Coordinate c, int id)
    {
        var key = Key(c);
        if (!_cells.TryGetValue(key, out var list)) _cells[key] = list = [];
        list.Add((c, id));
        _count++;
    }

    /// <summary>Id of the nearest point within <paramref name="maxDistanceM"/> (lowest id on ties), or -1 if none.</summary>
    public int Nearest(Coordinate c, double maxDistanceM = double.MaxValue)
    {
        if (_count == 0) return -1;
        var (cx, cy) = Key(c);
        var best = -1;
        var bestD = maxDistanceM;
        var maxRing = (long)Math.Min(1_000_000, Math.Ceiling(maxDistanceM / cellM) + 1);
        for (long r = 0; r <= maxRing; r++)
        {
            // Points in ring r are at least (r - 1) cells away: stop once that exceeds the best found.
            if ((r - 1) * cellM > bestD) break;
            if (r == 0) Scan(cx, cy);
            else
                for (var i = -r; i <= r; i++)
                {
                    Scan(cx + i, cy - r);
                    Scan(cx + i, cy + r);
                    if (i > -r && i < r) { Scan(cx - r, cy + i); Scan(cx + r, cy + i); }
                }
        }
        return best;

        void Scan(long x, long y)
        {
            if (!_cells.TryGetValue((x, y), out var list)) return;
            foreach (var (at, id) in list)
            {
                var d = at.Distance(c);
                if (d < bestD || (d == bestD && best >= 0 && id < best) || (d <= bestD && best < 0)) { bestD = d; best = id; }
            }
        }
    }

    /// <summary>Ids of the points inside the envelope, in ascending order.</summary>
    public List<int> InEnvelope(Envelope env)
    {
        var (x0, y0) = Key(new Coordinate(env.MinX, env.MinY));
        var (x1, y1) = Key(new Coordinate(env.MaxX, env.MaxY));
        var ids = new List<int>();
        for (var x = x0; x <= x1; x++)
        for (var y = y0; y <= y1; y++)
            if (_cells.TryGetValue((x, y), out var list))
                foreach (var (at, id) in list)
                    if (env.Contains(at)) ids.Add(id);
        ids.Sort();
        return ids;
    }

    private (long, long) Key(Coordinate c) => ((long)Math.Floor(c.X / cellM), (long)Math.Floor(c.Y / cellM));
}
