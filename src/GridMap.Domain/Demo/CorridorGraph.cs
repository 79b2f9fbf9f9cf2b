using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace GridMap.Domain.Demo;

/// <summary>
/// An undirected graph over noded line work in metres (arterials, block lanes): nodes are vertices snapped to a
/// 1 cm grid, so two lines meeting at a point share a node exactly; edges are densified to at most a given length
/// so that pipes can leave a corridor anywhere along it.
/// </summary>
internal sealed class CorridorGraph
{
    private readonly Dictionary<(long, long), int> _index = new();
    public List<Coordinate> Nodes { get; } = [];
    public List<List<(int To, double Length)>> Adjacent { get; } = [];

    public static CorridorGraph Build(IEnumerable<LineString> lines, double maxEdgeM) => Build([lines], maxEdgeM);

    /// <summary>Builds one graph from groups of lines that are noded within each group only (groups must not cross).</summary>
    public static CorridorGraph Build(IEnumerable<IEnumerable<LineString>> groups, double maxEdgeM)
    {
        var g = new CorridorGraph();
        foreach (var group in groups) g.Add(group, maxEdgeM);
        return g;
    }

    private void Add(IEnumerable<LineString> lines, double maxEdgeM)
    {
        var g = this;
        var list = lines.Cast<Geometry>().ToList();
        if (list.Count == 0) return;
        var noded = UnaryUnionOp.Union(list);
        for (var i = 0; i < noded.NumGeometries; i++)
        {
            if (noded.GetGeometryN(i) is not LineString ls) continue;
            var cs = ls.Coordinates;
            for (var k = 0; k + 1 < cs.Length; k++)
            {
                var a = cs[k];
                var b = cs[k + 1];
                var len = a.Distance(b);
                if (len < 0.05) continue;
                var pieces = Math.Max(1, (int)Math.Ceiling(len / maxEdgeM));
                var prev = g.NodeAt(a);
                for (var p = 1; p <= pieces; p++)
                {
                    var t = (double)p / pieces;
                    var next = p == pieces ? g.NodeAt(b) : g.NodeAt(new Coordinate(a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y)));
                    if (next != prev) g.AddEdge(prev, next);
                    prev = next;
                }
            }
        }
    }

    public int NodeAt(Coordinate c)
    {
        var key = ((long)Math.Round(c.X * 100), (long)Math.Round(c.Y * 100));
        if (_index.TryGetValue(key, out var id)) return id;
        id = Nodes.Count;
        _index[key] = id;
        Nodes.Add(new Coordinate(key.Item1 / 100.0, key.Item2 / 100.0));
        Adjacent.Add([]);
        return id;
    }

    public void AddEdge(int a, int b)
    {
        if (Adjacent[a].Any(e => e.To == b)) return;
        var len = Nodes[a].Distance(Nodes[b]);
        Adjacent[a].Add((b, len));
        Adjacent[b].Add((a, len));
    }

    /// <summary>Nearest node to a point (linear scan: graphs here are small or queried rarely).</summary>
    public int Nearest(Coordinate c, Func<int, bool>? allowed = null)
    {
        var best = -1;
        var bestD = double.MaxValue;
        for (var i = 0; i < Nodes.Count; i++)
        {
            // Distance first: the (possibly costly) test runs only for nodes that would improve the answer.
            var d = Nodes[i].Distance(c);
            if (d < bestD && (allowed is null || allowed(i))) { bestD = d; best = i; }
        }
        return best;
    }

    /// <summary>Multi-source Dijkstra: distance, predecessor and owning source of every node (-1 when unreached).</summary>
    public (double[] Dist, int[] Pred, int[] Owner) ShortestPaths(IReadOnlyList<int> sources)
    {
        var n = Nodes.Count;
        var dist = new double[n];
        var pred = new int[n];
        var owner = new int[n];
        Array.Fill(dist, double.PositiveInfinity);
        Array.Fill(pred, -1);
        Array.Fill(owner, -1);
        var pq = new PriorityQueue<int, (double, int)>();
        for (var s = 0; s < sources.Count; s++)
        {
            dist[sources[s]] = 0;
            owner[sources[s]] = s;
            pq.Enqueue(sources[s], (0, sources[s]));
        }
        while (pq.TryDequeue(out var u, out var pri))
        {
            if (pri.Item1 > dist[u]) continue;
            foreach (var (v, len) in Adjacent[u])
            {
                var d = dist[u] + len;
                // Ties broken by node id so the result never depends on queue internals.
                if (d < dist[v] - 1e-9 || (Math.Abs(d - dist[v]) <= 1e-9 && pred[v] > u))
                {
                    dist[v] = d;
                    pred[v] = u;
                    owner[v] = owner[u];
                    pq.Enqueue(v, (d, v));
                }
            }
        }
        return (dist, pred, owner);
    }

    /// <summary>
    /// Joins each connected piece to the largest one (growing) by the shortest link no longer than
    /// <paramref name="maxGapM"/>; returns which nodes ended up connected to the largest piece.
    /// </summary>
    /// <param name="allowed">Optional test of a candidate link (from, to): false when it would cross an obstacle.</param>
    public bool[] JoinComponents(double maxGapM, Func<Coordinate, Coordinate, bool>? allowed = null)
    {
        var label = Components();
        var members = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < label.Length; i++)
        {
            if (!members.TryGetValue(label[i], out var list)) members[label[i]] = list = [];
            list.Add(i);
        }
        var joined = new bool[Nodes.Count];
        if (members.Count == 0) return joined;
        var order = members.OrderByDescending(x => x.Value.Count).ThenBy(x => x.Key).Select(x => x.Value).ToList();
        var index = new PointGrid(Math.Max(50, maxGapM));
        foreach (var i in order[0]) { joined[i] = true; index.Insert(Nodes[i], i); }
        var pending = order.Skip(1).ToList();
        // Pieces may reach the main one only through another piece: sweep until nothing more joins.
        for (var progress = true; progress && pending.Count > 0;)
        {
            progress = false;
            foreach (var comp in pending.ToList())
            {
                var bestD = maxGapM;
                int ba = -1, bb = -1;
                foreach (var i in comp)
                {
                    if (allowed is null)
                    {
                        var j = index.Nearest(Nodes[i], bestD);
                        if (j < 0) continue;
                        var d = Nodes[i].Distance(Nodes[j]);
                        if (ba < 0 || d < bestD) { bestD = d; ba = i; bb = j; }
                        continue;
                    }
                    var env = new Envelope(Nodes[i]);
                    env.ExpandBy(bestD);
                    foreach (var j in index.InEnvelope(env).OrderBy(j => Nodes[i].Distance(Nodes[j])).ThenBy(j => j))
                    {
                        var d = Nodes[i].Distance(Nodes[j]);
                        if (d > bestD || (ba >= 0 && d >= bestD)) break;
                        if (!allowed(Nodes[i], Nodes[j])) continue;
                        bestD = d; ba = i; bb = j;
                        break;
                    }
                }
                if (ba < 0) continue;
                AddEdge(ba, bb);
                foreach (var i in comp) { joined[i] = true; index.Insert(Nodes[i], i); }
                pending.Remove(comp);
                progress = true;
            }
        }
        return joined;
    }

    /// <summary>Connected component label of every node (numbered in order of each component's smallest node).</summary>
    public int[] Components()
    {
        var sets = new GridMap.Domain.Graphs.UnionFind(Nodes.Count);
        for (var u = 0; u < Nodes.Count; u++)
            foreach (var (v, _) in Adjacent[u]) sets.Union(u, v);
        return sets.Labels();
    }
}
