using GridMap.Domain.Model;

namespace GridMap.Domain.Network;

/// <summary>How a trace walks the graph.</summary>
/// <param name="RespectState">Closed pipes and closed valves stop the trace (the physical state). Default true.</param>
/// <param name="CrossStations">Pass through station devices. Default false: a trace stays on its side of a station.</param>
public sealed record TraceOptions(bool RespectState = true, bool CrossStations = false)
{
    public static readonly TraceOptions Default = new();
}

/// <summary>What a trace reached: input ids in input order, plus the stations it stopped at (or crossed).</summary>
public sealed record TraceResult(
    IReadOnlyList<string> Pipes,
    IReadOnlyList<string> Valves,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Consumers,
    IReadOnlyList<string> Stations,
    long Households);

/// <summary>A path through the network: pipes in order from start to end, and its length in coordinate units.</summary>
public sealed record TracePath(IReadOnlyList<string> Pipes, IReadOnlyList<string> Valves, double Length, string? EndsAt);

/// <summary>Consumers fed from a station's secondary side without crossing another station.</summary>
public sealed record StationServiceArea(string Station, IReadOnlyList<string> Consumers, long Households, IReadOnlyList<string> Pipes);

/// <summary>A pipe whose loss alone cuts consumers off from every source (a bridge of the supply graph).</summary>
public sealed record SinglePointOfFailure(string Pipe, int ConsumersCutOff, long HouseholdsCutOff);

/// <summary>
/// Traces over a <see cref="NetworkGraph"/>: connected, upstream to a source, downstream to consumers, station
/// service areas, shortest path, bridges. Each call is a breadth-first or Dijkstra walk: O(edges), milliseconds on a
/// city network. Unknown ids throw <see cref="KeyNotFoundException"/>.
/// </summary>
/// <remarks>
/// Edge rules (mirrored by any client-side port): a piece passes unless its pipe is closed (when respecting state);
/// a valve passes unless closed (when respecting state); a station passes only with
/// <see cref="TraceOptions.CrossStations"/>, and heat-wise only from primary to secondary.
/// </remarks>
public sealed class NetworkTracer(NetworkGraph graph, TraceOptions? options = null)
{
    public NetworkGraph Graph { get; } = graph ?? throw new ArgumentNullException(nameof(graph));
    public TraceOptions Options { get; } = options ?? TraceOptions.Default;

    private bool Passes(int e, int from, bool directed)
    {
        var g = Graph;
        switch (g.EdgeKinds[e])
        {
            case EdgeKind.Piece:
                return !Options.RespectState || g.Pipes[g.EdgePipe[e]].Status == OpenState.Open;
            case EdgeKind.Valve:
                return !Options.RespectState || g.Valves[g.EdgeRef[e]].State == OpenState.Open;
            default:
                return Options.CrossStations && (!directed || g.EdgeFrom[e] == from);
        }
    }

    /// <summary>Nodes reached from <paramref name="starts"/>; <paramref name="blocked"/> edges never pass.</summary>
    private bool[] Reach(IEnumerable<int> starts, bool directed, ISet<int>? blocked = null)
    {
        var g = Graph;
        var seen = new bool[g.NodeCount];
        var stack = new Stack<int>();
        foreach (var s in starts)
            if (s >= 0 && !seen[s]) { seen[s] = true; stack.Push(s); }
        while (stack.Count > 0)
        {
            var u = stack.Pop();
            foreach (var e in g.EdgesAt(u))
            {
                if (blocked?.Contains(e) == true || !Passes(e, u, directed)) continue;
                var w = g.Opposite(e, u);
                if (seen[w]) continue;
                seen[w] = true;
                stack.Push(w);
            }
        }
        return seen;
    }

    private TraceResult Collect(bool[] nodes, ISet<int>? blocked = null)
    {
        var g = Graph;
        var pipes = new SortedSet<int>();
        var valves = new SortedSet<int>();
        var stations = new SortedSet<int>();
        for (var e = 0; e < g.EdgeCount; e++)
        {
            if (blocked?.Contains(e) == true) continue;
            var a = nodes[g.EdgeFrom[e]];
            var b = nodes[g.EdgeTo[e]];
            if (!a && !b) continue;
            switch (g.EdgeKinds[e])
            {
                case EdgeKind.Piece when a && b && g.IsReportable(e) && (!Options.RespectState || g.Pipes[g.EdgePipe[e]].Status == OpenState.Open):
                    pipes.Add(g.EdgePipe[e]); break;
                case EdgeKind.Valve: valves.Add(g.EdgeRef[e]); break;
                case EdgeKind.Station: stations.Add(g.EdgeRef[e]); break;
            }
        }
        var sources = Enumerable.Range(0, g.Sources.Count).Where(s => g.SourceNode[s] >= 0 && nodes[g.SourceNode[s]]).ToList();
        var consumers = Enumerable.Range(0, g.Consumers.Count).Where(c => g.ConsumerNode[c] >= 0 && nodes[g.ConsumerNode[c]]).ToList();
        return new TraceResult(
            pipes.Select(p => g.Pipes[p].Id).ToList(),
            valves.Select(v => g.Valves[v].Id).ToList(),
            sources.ConvertAll(s => g.Sources[s].Id),
            consumers.ConvertAll(c => g.Consumers[c].Id),
            stations.Select(s => g.StationIds[s]).ToList(),
            consumers.Sum(c => (long)g.Consumers[c].Households));
    }

    private IEnumerable<int> NodesOfPipe(string pipeId)
    {
        var g = Graph;
        var p = g.PipeIndex(pipeId);
        return g.EdgesOfPipe(p).SelectMany(e => new[] { g.EdgeFrom[e], g.EdgeTo[e] });
    }

    /// <summary>Everything connected to the pipe under the options (its own closed state does not stop the start).</summary>
    public TraceResult Connected(string pipeId) => Collect(Reach(NodesOfPipe(pipeId), directed: false));

    /// <summary>Everything supplied from the sources (heat crosses stations primary → secondary when allowed).</summary>
    public TraceResult FromSources() => Collect(Reach(Graph.SourceNode, directed: true));

    /// <summary>
    /// Downstream of a pipe: what is supplied now and would no longer be if the pipe were cut (its pieces removed).
    /// Works on looped networks: a pipe fed from two sides has nothing downstream.
    /// </summary>
    public TraceResult Downstream(string pipeId)
    {
        var g = Graph;
        var p = g.PipeIndex(pipeId);
        var cut = g.EdgesOfPipe(p).ToHashSet();
        var before = Reach(g.SourceNode, directed: true);
        var after = Reach(g.SourceNode, directed: true, cut);
        var lost = new bool[g.NodeCount];
        for (var n = 0; n < lost.Length; n++) lost[n] = before[n] && !after[n];
        return Collect(lost, cut);
    }

    /// <summary>
    /// Upstream of a pipe: the shortest path (by length) against the flow to a source — or, without
    /// <see cref="TraceOptions.CrossStations"/>, to the secondary side of the station feeding it.
    /// </summary>
    public TracePath Upstream(string pipeId)
    {
        var g = Graph;
        var targets = new Dictionary<int, string>();
        for (var s = 0; s < g.Sources.Count; s++)
            if (g.SourceNode[s] >= 0) targets.TryAdd(g.SourceNode[s], g.Sources[s].Id);
        if (!Options.CrossStations)
            foreach (var e in g.StationEdge) targets.TryAdd(g.EdgeTo[e], g.StationIds[g.EdgeRef[e]]);
        // Against the flow a station is crossed secondary → primary.
        var path = Dijkstra(NodesOfPipe(pipeId), targets, reverse: true);
        if (path is null) return new TracePath([pipeId], [], double.PositiveInfinity, null);
        // The walk starts at the pipe's nodes; the pipe itself leads the path.
        return path.Pipes.Count > 0 && path.Pipes[0] == pipeId ? path : path with { Pipes = [pipeId, .. path.Pipes] };
    }

    /// <summary>Shortest path (by length) between two pipes, or null when they are not connected under the options.</summary>
    public TracePath? ShortestPath(string fromPipeId, string toPipeId)
    {
        var targets = NodesOfPipe(toPipeId).Distinct().ToDictionary(n => n, _ => toPipeId);
        var path = Dijkstra(NodesOfPipe(fromPipeId), targets, reverse: false);
        if (path is null) return null;
        var pipes = path.Pipes.ToList();
        if (!pipes.Contains(fromPipeId)) pipes.Insert(0, fromPipeId);
        if (!pipes.Contains(toPipeId)) pipes.Add(toPipeId);
        return path with { Pipes = pipes };
    }

    private TracePath? Dijkstra(IEnumerable<int> starts, Dictionary<int, string> targets, bool reverse)
    {
        var g = Graph;
        var dist = new double[g.NodeCount];
        Array.Fill(dist, double.PositiveInfinity);
        var prevEdge = new int[g.NodeCount];
        Array.Fill(prevEdge, -1);
        var queue = new PriorityQueue<int, double>();
        foreach (var s in starts.Distinct())
        {
            dist[s] = 0;
            queue.Enqueue(s, 0);
        }
        var found = -1;
        while (queue.TryDequeue(out var u, out var d))
        {
            if (d > dist[u]) continue;
            if (targets.ContainsKey(u)) { found = u; break; }
            foreach (var e in g.EdgesAt(u))
            {
                var directedOk = g.EdgeKinds[e] != EdgeKind.Station || (reverse ? g.EdgeTo[e] == u : g.EdgeFrom[e] == u);
                if (!directedOk || !Passes(e, u, directed: false)) continue;
                var w = g.Opposite(e, u);
                var nd = d + g.EdgeLength(e);
                if (nd >= dist[w]) continue;
                dist[w] = nd;
                prevEdge[w] = e;
                queue.Enqueue(w, nd);
            }
        }
        if (found < 0) return null;
        var edges = new List<int>();
        for (var x = found; prevEdge[x] >= 0; x = g.Opposite(prevEdge[x], x)) edges.Add(prevEdge[x]);
        edges.Reverse();
        var pipes = new List<string>();
        var valves = new List<string>();
        foreach (var e in edges)
        {
            if (g.EdgeKinds[e] == EdgeKind.Valve) valves.Add(g.Valves[g.EdgeRef[e]].Id);
            else if (g.EdgePipe[e] >= 0 && g.IsReportable(e) || g.EdgeKinds[e] == EdgeKind.Station && g.EdgePipe[e] >= 0)
            {
                var id = g.Pipes[g.EdgePipe[e]].Id;
                if (pipes.Count == 0 || pipes[^1] != id) pipes.Add(id);
            }
        }
        return new TracePath(pipes, valves, dist[found], targets[found]);
    }

    /// <summary>For every station: consumers, households and pipes reached from its secondary side without crossing a station.</summary>
    public IReadOnlyList<StationServiceArea> StationServiceAreas()
    {
        var g = Graph;
        var local = new NetworkTracer(g, Options with { CrossStations = false });
        return g.StationEdge.Select(e =>
        {
            var r = local.Collect(local.Reach([g.EdgeTo[e]], directed: true));
            return new StationServiceArea(g.StationIds[g.EdgeRef[e]], r.Consumers, r.Households, r.Pipes);
        }).ToList();
    }

    /// <summary>
    /// Pipes that are bridges of the supply graph (under the options) and whose loss alone cuts consumers off from
    /// every source, with how many consumers and households. Iterative Tarjan: O(nodes + edges).
    /// </summary>
    public IReadOnlyList<SinglePointOfFailure> SinglePointsOfFailure()
    {
        var g = Graph;
        var n = g.NodeCount;
        var disc = new int[n];
        var low = new int[n];
        var parentEdge = new int[n];
        Array.Fill(parentEdge, -1);
        var srcCount = new int[n];
        var consCount = new int[n];
        var hh = new long[n];
        foreach (var s in g.SourceNode) if (s >= 0) srcCount[s]++;
        for (var c = 0; c < g.Consumers.Count; c++)
            if (g.ConsumerNode[c] >= 0) { consCount[g.ConsumerNode[c]]++; hh[g.ConsumerNode[c]] += g.Consumers[c].Households; }
        var time = 0;
        var bridges = new List<(int Edge, int Child, int Root)>();
        var rootOf = new int[n];
        var subSrc = (int[])srcCount.Clone();
        var subCons = (int[])consCount.Clone();
        var subHh = (long[])hh.Clone();
        var stack = new Stack<(int Node, int Next)>();
        for (var r = 0; r < n; r++)
        {
            if (disc[r] != 0) continue;
            disc[r] = low[r] = ++time;
            rootOf[r] = r;
            stack.Push((r, 0));
            while (stack.Count > 0)
            {
                var (u, i) = stack.Pop();
                var edges = g.EdgesAt(u);
                if (i < edges.Length)
                {
                    stack.Push((u, i + 1));
                    var e = edges[i];
                    if (e == parentEdge[u] || !Passes(e, u, directed: false)) continue;
                    var w = g.Opposite(e, u);
                    if (disc[w] == 0)
                    {
                        disc[w] = low[w] = ++time;
                        parentEdge[w] = e;
                        rootOf[w] = r;
                        stack.Push((w, 0));
                    }
                    else low[u] = Math.Min(low[u], disc[w]);
                    continue;
                }
                // u is finished: fold it into its parent.
                var pe = parentEdge[u];
                if (pe < 0) continue;
                var p = g.Opposite(pe, u);
                low[p] = Math.Min(low[p], low[u]);
                subSrc[p] += subSrc[u];
                subCons[p] += subCons[u];
                subHh[p] += subHh[u];
                if (low[u] > disc[p]) bridges.Add((pe, u, r));
            }
        }
        var result = new Dictionary<int, (int Cons, long Hh)>();
        foreach (var (e, child, root) in bridges)
        {
            if (g.EdgePipe[e] < 0) continue; // a valve body or station point: not a pipe
            int cut; long cutHh;
            if (subSrc[child] == 0) { cut = subCons[child]; cutHh = subHh[child]; }
            else if (subSrc[child] == subSrc[root]) { cut = subCons[root] - subCons[child]; cutHh = subHh[root] - subHh[child]; }
            else continue; // sources on both sides
            if (cut == 0) continue;
            var pipe = g.EdgePipe[e];
            if (!result.TryGetValue(pipe, out var prev) || prev.Cons < cut) result[pipe] = (cut, cutHh);
        }
        return result.OrderBy(kv => kv.Key).Select(kv => new SinglePointOfFailure(g.Pipes[kv.Key].Id, kv.Value.Cons, kv.Value.Hh)).ToList();
    }
}
