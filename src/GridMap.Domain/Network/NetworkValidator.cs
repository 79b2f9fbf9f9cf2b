using GridMap.Domain.Graphs;
using GridMap.Domain.Model;
using NetTopologySuite.Algorithm.Distance;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GridMap.Domain.Network;

/// <summary>
/// Checks a built <see cref="NetworkGraph"/> for data errors: <c>NetworkValidator.Check(graph)</c>. Findings come in
/// a fixed order (build findings, then zero-length, duplicates, crossings, dangling ends, islands, secondary loops),
/// each with its type code from <see cref="FindingTypes"/>, the ids involved and a location.
/// </summary>
public sealed class NetworkValidator
{
    /// <summary>
    /// Largest gap between a dangling pipe end and another pipe that is reported (coordinate units, ≥ 0);
    /// null means the graph's snap tolerance.
    /// </summary>
    public double? GapTolerance { get; }

    public NetworkValidator(double? gapTolerance = null)
    {
        GapTolerance = gapTolerance is null or (>= 0 and < double.PositiveInfinity)
            ? gapTolerance
            : throw new ArgumentOutOfRangeException(nameof(gapTolerance), gapTolerance, "Gap tolerance must be a finite number ≥ 0.");
    }

    public static IReadOnlyList<NetworkFinding> Check(NetworkGraph graph) => new NetworkValidator().Validate(graph);

    public IReadOnlyList<NetworkFinding> Validate(NetworkGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var g = graph;
        var tol = g.SnapTolerance;
        var gap = GapTolerance ?? tol;
        var findings = new List<NetworkFinding>(g.BuildFindings);
        var pipes = g.Pipes;
        var n = pipes.Count;
        var start = new int[n];
        var end = new int[n];
        for (var i = 0; i < n; i++)
        {
            var first = g.PipeFirstEdge[i];
            start[i] = g.EdgeFrom[first];
            end[i] = g.EdgeTo[first + g.PipeEdgeCount[i] - 1];
        }

        // Zero-length pipes.
        for (var i = 0; i < n; i++)
            if (g.PipeLength[i] <= tol)
            {
                var c = pipes[i].Geometry.Coordinate;
                findings.Add(new NetworkFinding(FindingTypes.ZeroLength, [pipes[i].Id], c.X, c.Y));
            }

        // Duplicates: same pair of end nodes and the same line within the tolerance.
        var duplicateOf = new HashSet<(int, int)>();
        foreach (var group in Enumerable.Range(0, n).GroupBy(i => (Math.Min(start[i], end[i]), Math.Max(start[i], end[i]))))
        {
            var list = group.ToList();
            for (var a = 0; a < list.Count; a++)
                for (var b = a + 1; b < list.Count; b++)
                {
                    var ga = pipes[list[a]].Geometry;
                    var gb = pipes[list[b]].Geometry;
                    if (DiscreteHausdorffDistance.Distance(ga, gb) > Math.Max(tol, 1e-9)) continue;
                    duplicateOf.Add((list[a], list[b]));
                    var c = ga.InteriorPoint.Coordinate;
                    findings.Add(new NetworkFinding(FindingTypes.DuplicatePipe, [pipes[list[a]].Id, pipes[list[b]].Id], c.X, c.Y));
                }
        }

        var tree = new STRtree<int>();
        for (var i = 0; i < n; i++) tree.Insert(pipes[i].Geometry.EnvelopeInternal, i);
        tree.Build();

        var attached = new HashSet<int>(g.SourceNode.Concat(g.ConsumerNode).Where(x => x >= 0));
        bool IsLooseEnd(int node) => g.NodeKinds[node] == NodeKind.Junction && g.EdgesAt(node).Length == 1 && !attached.Contains(node);

        // Crossings and touches away from any node both pipes share.
        for (var i = 0; i < n; i++)
        {
            var gi = pipes[i].Geometry;
            foreach (var j in tree.Query(gi.EnvelopeInternal))
            {
                if (j <= i || duplicateOf.Contains((i, j))) continue;
                var gj = pipes[j].Geometry;
                if (!gi.Intersects(gj)) continue;
                var shared = new[] { start[i], end[i] }.Intersect([start[j], end[j]]).ToArray();
                foreach (var c in gi.Intersection(gj).Coordinates)
                {
                    if (shared.Any(node => g.NodeLocation(node).Distance(c) <= tol)) continue;
                    // A loose end resting on the other pipe is reported once, as a dangling end.
                    if (new[] { start[i], end[i], start[j], end[j] }.Any(node => IsLooseEnd(node) && g.NodeLocation(node).Distance(c) <= tol)) continue;
                    findings.Add(new NetworkFinding(FindingTypes.CrossingWithoutJunction, [pipes[i].Id, pipes[j].Id], c.X, c.Y));
                    break; // one finding per pair
                }
            }
        }

        // Dangling ends: a junction with one pipe, nothing attached, within the gap of another pipe.
        var factory = n > 0 ? pipes[0].Geometry.Factory : new GeometryFactory();
        for (var node = 0; node < g.NodeCount; node++)
        {
            if (!IsLooseEnd(node)) continue;
            var own = g.EdgePipe[g.EdgesAt(node)[0]];
            var c = g.NodeLocation(node);
            var env = new Envelope(c);
            env.ExpandBy(Math.Max(gap, 1e-9));
            var pt = factory.CreatePoint(c);
            foreach (var j in tree.Query(env).Order())
            {
                if (j == own) continue;
                var d = pipes[j].Geometry.Distance(pt);
                if (d > gap) continue;
                findings.Add(new NetworkFinding(FindingTypes.DanglingEnd, own >= 0 ? [pipes[own].Id, pipes[j].Id] : [pipes[j].Id], c.X, c.Y));
                break;
            }
        }

        // Islands: structural components (every edge, stations included) with no source. Without any source
        // given there is nothing to tell islands from the network, so the check is skipped.
        if (g.Sources.Count > 0) AddIslands(g, start, findings);

        findings.AddRange(SecondaryLoops(g));
        AddValvesWithinSegment(g, findings);
        return findings;
    }

    private static void AddValvesWithinSegment(NetworkGraph g, List<NetworkFinding> findings)
    {
        if (g.Valves.Count == 0) return;
        var index = SegmentIndex.Build(g);
        for (var v = 0; v < g.Valves.Count; v++)
        {
            var e = g.EdgeOfValve(v);
            if (e < 0 || !index.Bounds(v)) continue;
            if (index.SegmentOfNode(g.EdgeFrom[e]) != index.SegmentOfNode(g.EdgeTo[e])) continue;
            var pipe = g.PipeOfValve(v);
            var c = g.NodeLocation(g.EdgeFrom[e]);
            findings.Add(new NetworkFinding(FindingTypes.ValveWithinSegment,
                pipe >= 0 ? [g.Valves[v].Id, g.Pipes[pipe].Id] : [g.Valves[v].Id], c.X, c.Y));
        }
    }

    private static void AddIslands(NetworkGraph g, int[] start, List<NetworkFinding> findings)
    {
        var pipes = g.Pipes;
        var n = pipes.Count;
        var comp = Components(g, _ => true);
        var hasSource = new HashSet<int>(g.SourceNode.Where(x => x >= 0).Select(x => comp[x]));
        var islandPipes = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < n; i++)
        {
            var k = comp[start[i]];
            if (hasSource.Contains(k)) continue;
            if (!islandPipes.TryGetValue(k, out var l)) islandPipes[k] = l = [];
            l.Add(i);
        }
        foreach (var (_, l) in islandPipes.OrderBy(kv => kv.Value[0]))
        {
            var c = pipes[l[0]].Geometry.Coordinate;
            findings.Add(new NetworkFinding(FindingTypes.IslandWithoutSource, l.ConvertAll(i => pipes[i].Id), c.X, c.Y));
        }
    }

    private static bool IsSecondary(NetworkPipe p) => p.Level is NetworkLevel.Secondary or NetworkLevel.Building;

    /// <summary>Each edge that closes a cycle among secondary pipes gives one finding listing the pipes on that cycle.</summary>
    private static IEnumerable<NetworkFinding> SecondaryLoops(NetworkGraph g)
    {
        // Valve edges carry no pipe: they count as secondary when the piece before them does.
        bool Secondary(int e) => g.EdgeKinds[e] switch
        {
            EdgeKind.Piece => IsSecondary(g.Pipes[g.EdgePipe[e]]),
            EdgeKind.Valve => e > 0 && g.EdgeKinds[e - 1] == EdgeKind.Piece && IsSecondary(g.Pipes[g.EdgePipe[e - 1]]),
            _ => false,
        };
        if (!g.Pipes.Any(IsSecondary)) yield break;
        var forestSets = new UnionFind(g.NodeCount);
        // Spanning forest adjacency, to recover each cycle as the forest path plus the closing edge.
        var forest = new Dictionary<int, List<(int To, int Edge)>>();
        for (var e = 0; e < g.EdgeCount; e++)
        {
            if (!Secondary(e)) continue;
            int a = g.EdgeFrom[e], b = g.EdgeTo[e];
            if (forestSets.Union(a, b))
            {
                (forest.TryGetValue(a, out var la) ? la : forest[a] = []).Add((b, e));
                (forest.TryGetValue(b, out var lb) ? lb : forest[b] = []).Add((a, e));
                continue;
            }
            var path = ForestPath(forest, a, b);
            var ids = path.Append(e).Where(x => g.EdgePipe[x] >= 0).Select(x => g.EdgePipe[x]).Distinct().Order().Select(p => g.Pipes[p].Id).ToList();
            var c = g.NodeLocation(a);
            yield return new NetworkFinding(FindingTypes.SecondaryLoop, ids, c.X, c.Y);
        }
    }

    private static List<int> ForestPath(Dictionary<int, List<(int To, int Edge)>> forest, int from, int to)
    {
        var prev = new Dictionary<int, (int Node, int Edge)> { [from] = (-1, -1) };
        var queue = new Queue<int>([from]);
        while (queue.Count > 0 && !prev.ContainsKey(to))
        {
            var u = queue.Dequeue();
            if (!forest.TryGetValue(u, out var l)) continue;
            foreach (var (w, e) in l)
                if (prev.TryAdd(w, (u, e))) queue.Enqueue(w);
        }
        var path = new List<int>();
        for (var x = to; prev.TryGetValue(x, out var p) && p.Node >= 0; x = p.Node) path.Add(p.Edge);
        return path;
    }

    /// <summary>Component label of every node over the edges <paramref name="use"/> accepts, numbered in order of each
    /// component's lowest node.</summary>
    internal static int[] Components(NetworkGraph g, Func<int, bool> use)
    {
        var sets = new UnionFind(g.NodeCount);
        for (var e = 0; e < g.EdgeCount; e++)
            if (use(e)) sets.Union(g.EdgeFrom[e], g.EdgeTo[e]);
        return sets.Labels();
    }
}
