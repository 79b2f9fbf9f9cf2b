using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GridMap.Domain.Demo;

/// <summary>Segments of all road centre lines (metres) in an R-tree, for "is this point beside a road" queries.</summary>
internal sealed class RoadIndex
{
    private readonly STRtree<LineSegment> _tree = new();

    public RoadIndex(IEnumerable<LineString> roads)
    {
        foreach (var r in roads)
        {
            var cs = r.Coordinates;
            for (var i = 0; i + 1 < cs.Length; i++)
            {
                var s = new LineSegment(cs[i], cs[i + 1]);
                _tree.Insert(new Envelope(cs[i], cs[i + 1]), s);
            }
        }
        _tree.Build();
    }

    public bool IsWithin(Coordinate c, double distanceM)
    {
        var env = new Envelope(c);
        env.ExpandBy(distanceM);
        foreach (var s in _tree.Query(env))
            if (s.Distance(c) <= distanceM) return true;
        return false;
    }
}
