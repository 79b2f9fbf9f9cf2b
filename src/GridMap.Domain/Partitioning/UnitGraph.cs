using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// The adjacency of partition units: unit i and j are neighbours when their territories share a
/// boundary of positive length (a single touching point is not adjacency). Each edge carries the shared
/// length in metres (used for perimeters) and whether it is <see cref="IsConnected"/> (false when a
/// barrier line — an arterial road, a river — runs between the two units: such an edge still counts for
/// perimeters but may not hold a cell together). Territories are the unit polygons themselves when the
/// units tile the area, or a tessellation around the footprints when they do not touch.
/// Indices are 0-based and follow the input unit order.
/// </summary>
public sealed class UnitGraph
{
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly double[] _shared;
    private readonly bool[] _connected;

    internal UnitGraph(string[] ids, double[] weights, string?[] parents, double[] areas, double[] perimeters,
        double[] x, double[] y, Geometry?[] territories, IReadOnlyList<(int A, int B, double Length, bool Connected)> edges, bool tessellated)
    {
        var n = ids.Length;
        if (weights.Length != n || parents.Length != n || areas.Length != n || perimeters.Length != n || x.Length != n || y.Length != n || territories.Length != n)
            throw new ArgumentException("all per-unit arrays must have the same length.");
        Ids = ids; Weights = weights; Parents = parents; Areas = areas; Perimeters = perimeters; X = x; Y = y;
        Territories = territories; IsTessellated = tessellated;
        var deg = new int[n + 1];
        foreach (var (a, b, len, _) in edges)
        {
            if (a == b || a < 0 || b < 0 || a >= n || b >= n) throw new ArgumentException($"bad edge ({a},{b}).");
            if (!(len >= 0)) throw new ArgumentException($"edge ({a},{b}) has length {len}.");
            deg[a + 1]++; deg[b + 1]++;
        }
        for (var i = 0; i < n; i++) deg[i + 1] += deg[i];
        _offsets = deg;
        _targets = new int[deg[n]];
        _shared = new double[deg[n]];
        _connected = new bool[deg[n]];
        var fill = (int[])deg.Clone();
        foreach (var (a, b, len, c) in edges.OrderBy(e => Math.Min(e.A, e.B)).ThenBy(e => Math.Max(e.A, e.B)))
        {
            var p = fill[a]++; _targets[p] = b; _shared[p] = len; _connected[p] = c;
            var q = fill[b]++; _targets[q] = a; _shared[q] = len; _connected[q] = c;
        }
        EdgeCount = edges.Count(e => e.Connected);
        GeometricEdgeCount = edges.Count;
    }

    /// <summary>Builds a graph from explicit edges (no geometry): tests, benchmarks, graphs read from files.</summary>
    public static UnitGraph FromEdges(IReadOnlyList<string> ids, IReadOnlyList<double> weights, IReadOnlyList<double> areas,
        IReadOnlyList<double> perimeters, IReadOnlyList<(double X, double Y)> centroids,
        IReadOnlyList<(int A, int B, double Length)> edges, IReadOnlyList<string?>? parents = null)
    {
        var n = ids.Count;
        return new UnitGraph(ids.ToArray(), weights.ToArray(), parents?.ToArray() ?? new string?[n], areas.ToArray(), perimeters.ToArray(),
            centroids.Select(c => c.X).ToArray(), centroids.Select(c => c.Y).ToArray(), new Geometry?[n],
            edges.Select(e => (e.A, e.B, e.Length, true)).ToList(), false);
    }

    /// <summary>Number of units.</summary>
    public int Count => Weights.Length;
    /// <summary>Unit ids in input order.</summary>
    public IReadOnlyList<string> Ids { get; }
    /// <summary>Unit weights (≥ 0).</summary>
    public double[] Weights { get; }
    /// <summary>Parent area per unit (nesting), or null.</summary>
    public string?[] Parents { get; }
    /// <summary>Territory area per unit, m².</summary>
    public double[] Areas { get; }
    /// <summary>Territory perimeter per unit, m.</summary>
    public double[] Perimeters { get; }
    /// <summary>Footprint centroid x per unit, m.</summary>
    public double[] X { get; }
    /// <summary>Footprint centroid y per unit, m.</summary>
    public double[] Y { get; }
    /// <summary>Territory polygon per unit (null for graphs built from edges only).</summary>
    public Geometry?[] Territories { get; }
    /// <summary>True when territories were tessellated around non-touching footprints.</summary>
    public bool IsTessellated { get; }
    /// <summary>Undirected edges that connect units (not cut by a barrier).</summary>
    public int EdgeCount { get; }
    /// <summary>Undirected edges with a shared boundary, including those cut by barriers.</summary>
    public int GeometricEdgeCount { get; }

    /// <summary>Seconds spent per build stage (footprint adjacency, sites, voronoi, …), for benchmarks.</summary>
    public IReadOnlyDictionary<string, double> BuildTimings { get; init; } = new Dictionary<string, double>();

    /// <summary>Total weight of all units.</summary>
    public double TotalWeight => Weights.Sum();

    internal int[] Offsets => _offsets;
    internal int[] Targets => _targets;
    internal double[] Shared => _shared;
    internal bool[] ConnectedFlags => _connected;

    /// <summary>Neighbours of unit <paramref name="i"/> with the shared boundary length (m) and whether the edge connects.</summary>
    public IEnumerable<(int Neighbour, double SharedLength, bool IsConnected)> Neighbours(int i)
    {
        for (var p = _offsets[i]; p < _offsets[i + 1]; p++) yield return (_targets[p], _shared[p], _connected[p]);
    }

    /// <summary>Connected edges as (a, b, shared length) with a &lt; b.</summary>
    public IEnumerable<(int A, int B, double SharedLength)> Edges()
    {
        for (var i = 0; i < Count; i++)
            for (var p = _offsets[i]; p < _offsets[i + 1]; p++)
                if (_connected[p] && _targets[p] > i) yield return (i, _targets[p], _shared[p]);
    }
}
