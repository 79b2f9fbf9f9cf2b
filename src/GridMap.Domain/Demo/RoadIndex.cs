using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GridMap.Domain.Demo;

/// <summary>Segments of road centre lines (metres) in an R-tree: "is this point beside a road", "which road is nearest".</summary>
internal sealed class RoadIndex
{
    private readonly STRtree<(LineSegment Segment, int Road)> _tree = new();
    private readonly int _count;

    public RoadIndex(IEnumerable<LineString> roads)
    {
        foreach (var r in roads)
        {
            var cs = r.Coordinates;
            for (var i = 0; i + 1 < cs.Length; i++)
                _tree.Insert(new Envelope(cs[i], cs[i + 1]), (new LineSegment(cs[i], cs[i + 1]), _count));
            _count++;
        }
        _tree.Build();
    }

    public bool IsWithin(Coordinate c, double distanceM)
    {
        var env = new Envelope(c);
        env.ExpandBy(distanceM);
        foreach (var (s, _) in _tree.Query(env))
            if (s.Distance(c) <= distanceM) return true;
        return false;
    }

    /// <summary>Index (in construction order) of the road nearest the point; lowest index on ties, -1 if none.</summary>
    public int Nearest(Coordinate c)
    {
        if (_count == 0) return -1;
        // Search a growing square: a hit within the square's half-width r is the true nearest.
        for (var r = 250.0; ; r *= 4)
        {
            var env = new Envelope(c);
            env.ExpandBy(r);
            var best = -1;
            var bestD = double.MaxValue;
            foreach (var (s, road) in _tree.Query(env))
            {
                var d = s.Distance(c);
                if (d < bestD || (d == bestD && road < best)) { bestD = d; best = road; }
            }
            if (best >= 0 && bestD <= r) return best;
            if (r > 1e7) return best;
        }
    }
}
