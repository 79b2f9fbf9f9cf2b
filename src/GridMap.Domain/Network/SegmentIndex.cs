using System.Collections.Concurrent;
using GridMap.Domain.Graphs;
using GridMap.Domain.Model;

namespace GridMap.Domain.Network;

/// <summary>One segment for reporting: the pipes that lie in it and the valves on its boundary.</summary>
public sealed record NetworkSegment(int Index, IReadOnlyList<string> Pipes, IReadOnlyList<string> Valves);

/// <summary>
/// The segments of a <see cref="NetworkGraph"/> for one set of valve conditions, plus the supply structure an
/// isolation needs. Build once per graph and per set of inoperable valves (milliseconds for 100,000 pipes);
/// then every isolation only walks the small graph of supply units. Thread-safe for concurrent isolations.
/// </summary>
/// <remarks>
/// <para>The algorithm, stated so it can be mirrored exactly in the TypeScript client for offline use:</para>
/// <list type="number">
/// <item>A valve <b>bounds</b> segments when it is operable (whatever its state) or normally closed. An open
/// inoperable valve (broken or inaccessible, listed in <c>inoperable</c> or <c>operable=false</c>) conducts like
/// a pipe.</item>
/// <item><b>Segments</b> are the connected components of the nodes joined by every piece (open or closed pipe —
/// a closed pipe still belongs to the segment it lies in) and by every conducting valve. Stations never join
/// their two sides. A segment's <b>boundary valves</b> are the bounding valves whose two sides lie in different
/// segments.</item>
/// <item><b>Supply units</b> refine segments by the physical state: components of the nodes joined by open
/// pieces and conducting valves. The <b>unit graph</b> links two units through each open bounding valve (both
/// ways) and through each station (primary → secondary only: heat crosses a station, water does not).</item>
/// <item>Units holding a source, and everything reachable from them in the unit graph, are <b>supplied</b>.</item>
/// </list>
/// </remarks>
public sealed class SegmentIndex
{
    public NetworkGraph Graph { get; }

    /// <summary>Valve indices treated as inoperable on top of the valves' own <c>Operable</c> flag.</summary>
    public IReadOnlySet<int> ExtraInoperable { get; }

    internal readonly int[] NodeSegment;
    internal readonly int[] NodeUnit;
    internal readonly int[] UnitSegment;
    internal readonly bool[] ValveBounds;
    internal readonly bool[] UnitSupplied;
    internal readonly int[] SourceUnits;
    // Unit graph (CSR): neighbour unit and the valve crossed (-1 for a station).
    internal readonly int[] UnitAdjStart, UnitAdjUnit, UnitAdjValve;
    // Per segment: reportable pieces and boundary valves (CSR).
    internal readonly int[] SegPieceStart, SegPieces, SegValveStart, SegValves;
    // Per unit: open pieces and consumers (CSR).
    internal readonly int[] UnitPieceStart, UnitPieces, UnitConsumerStart, UnitConsumers;
    // Per segment: consumers on its nodes (CSR).
    internal readonly int[] SegConsumerStart, SegConsumers;

    private readonly ConcurrentBag<Scratch> _scratch = [];

    // A derived index (WithInoperable): the built index it derives from, and per base label the representative of its
    // merged set; the members of each merged set. Null on a built index.
    private readonly SegmentIndex? _root;
    internal readonly int[]? SegRep, UnitRep;
    internal readonly Dictionary<int, int[]>? SegMembers, UnitMembers;
    /// <summary>Size of the label ranges (base labels; a derived index leaves merged labels unused).</summary>
    internal readonly int SegmentSlots, UnitSlots;

    /// <summary>Number of segments (including segments made of valve stubs only, e.g. a junction with a valve on every pipe).</summary>
    public int SegmentCount { get; }
    /// <summary>Number of supply units.</summary>
    public int UnitCount { get; }

    /// <summary>Builds the index; <paramref name="inoperableValveIds"/> are valve ids to treat as broken (unknown ids throw).</summary>
    public static SegmentIndex Build(NetworkGraph graph, IEnumerable<string>? inoperableValveIds = null) =>
        new(graph, (inoperableValveIds ?? []).Select(graph.ValveIndex).ToHashSet());

    public SegmentIndex(NetworkGraph graph, IReadOnlySet<int> extraInoperable)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        ExtraInoperable = extraInoperable ?? new HashSet<int>();
        var g = graph;
        var nodes = g.NodeCount;
        var edges = g.EdgeCount;

        ValveBounds = new bool[g.Valves.Count];
        for (var v = 0; v < g.Valves.Count; v++)
        {
            var valve = g.Valves[v];
            var operable = valve.Operable && !ExtraInoperable.Contains(v);
            ValveBounds[v] = g.ValveEdge[v] >= 0 && (operable || valve.State == OpenState.Closed);
        }

        // 1. Segments: union over all pieces and conducting valves.
        var seg = new UnionFind(nodes);
        var unit = new UnionFind(nodes);
        for (var e = 0; e < edges; e++)
        {
            switch (g.EdgeKinds[e])
            {
                case EdgeKind.Piece:
                    seg.Union(g.EdgeFrom[e], g.EdgeTo[e]);
                    if (g.Pipes[g.EdgePipe[e]].Status == OpenState.Open) unit.Union(g.EdgeFrom[e], g.EdgeTo[e]);
                    break;
                case EdgeKind.Valve when !ValveBounds[g.EdgeRef[e]]:
                    seg.Union(g.EdgeFrom[e], g.EdgeTo[e]);
                    unit.Union(g.EdgeFrom[e], g.EdgeTo[e]);
                    break;
            }
        }
        NodeSegment = seg.Labels();
        NodeUnit = unit.Labels();
        var segCount = SegmentCount = SegmentSlots = seg.SetCount;
        var unitCount = UnitCount = UnitSlots = unit.SetCount;
        UnitSegment = new int[unitCount];
        for (var node = 0; node < nodes; node++) UnitSegment[NodeUnit[node]] = NodeSegment[node];

        // 2. Unit graph.
        var links = new List<(int A, int B, int Valve)>();
        for (var e = 0; e < edges; e++)
        {
            if (g.EdgeKinds[e] == EdgeKind.Valve)
            {
                var v = g.EdgeRef[e];
                if (ValveBounds[v] && g.Valves[v].State == OpenState.Open)
                {
                    links.Add((NodeUnit[g.EdgeFrom[e]], NodeUnit[g.EdgeTo[e]], v));
                    links.Add((NodeUnit[g.EdgeTo[e]], NodeUnit[g.EdgeFrom[e]], v));
                }
            }
            else if (g.EdgeKinds[e] == EdgeKind.Station)
                links.Add((NodeUnit[g.EdgeFrom[e]], NodeUnit[g.EdgeTo[e]], -1));
        }
        UnitAdjStart = new int[unitCount + 1];
        foreach (var l in links) UnitAdjStart[l.A + 1]++;
        for (var i = 0; i < unitCount; i++) UnitAdjStart[i + 1] += UnitAdjStart[i];
        UnitAdjUnit = new int[links.Count];
        UnitAdjValve = new int[links.Count];
        var fill = (int[])UnitAdjStart.Clone();
        foreach (var l in links)
        {
            var at = fill[l.A]++;
            UnitAdjUnit[at] = l.B;
            UnitAdjValve[at] = l.Valve;
        }

        // 3. Baseline supply.
        SourceUnits = g.SourceNode.Where(n => n >= 0).Select(n => NodeUnit[n]).Distinct().ToArray();
        UnitSupplied = new bool[unitCount];
        var queue = new Queue<int>();
        foreach (var u in SourceUnits) { UnitSupplied[u] = true; queue.Enqueue(u); }
        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            for (var k = UnitAdjStart[u]; k < UnitAdjStart[u + 1]; k++)
            {
                var w = UnitAdjUnit[k];
                if (UnitSupplied[w]) continue;
                UnitSupplied[w] = true;
                queue.Enqueue(w);
            }
        }

        // 4. Membership lists.
        var segPieces = new List<(int, int)>();
        var unitPieces = new List<(int, int)>();
        var segValves = new List<(int, int)>();
        for (var e = 0; e < edges; e++)
        {
            if (g.EdgeKinds[e] == EdgeKind.Piece)
            {
                if (g.IsReportable(e)) segPieces.Add((NodeSegment[g.EdgeFrom[e]], e));
                if (g.Pipes[g.EdgePipe[e]].Status == OpenState.Open && g.IsReportable(e)) unitPieces.Add((NodeUnit[g.EdgeFrom[e]], e));
            }
            else if (g.EdgeKinds[e] == EdgeKind.Valve && ValveBounds[g.EdgeRef[e]])
            {
                var a = NodeSegment[g.EdgeFrom[e]];
                var b = NodeSegment[g.EdgeTo[e]];
                if (a == b) continue; // a valve with the same segment on both sides bounds nothing
                segValves.Add((a, g.EdgeRef[e]));
                segValves.Add((b, g.EdgeRef[e]));
            }
        }
        (SegPieceStart, SegPieces) = Csr(segCount, segPieces);
        (SegValveStart, SegValves) = Csr(segCount, segValves);
        (UnitPieceStart, UnitPieces) = Csr(unitCount, unitPieces);
        var unitConsumers = new List<(int, int)>();
        for (var c = 0; c < g.Consumers.Count; c++)
            if (g.ConsumerNode[c] >= 0) unitConsumers.Add((NodeUnit[g.ConsumerNode[c]], c));
        (UnitConsumerStart, UnitConsumers) = Csr(unitCount, unitConsumers);
        (SegConsumerStart, SegConsumers) = Csr(segCount, unitConsumers.Select(uc => (UnitSegment[uc.Item1], uc.Item2)).ToList());
    }

    /// <summary>
    /// This index with <paramref name="inoperable"/> valves (indices) also treated as inoperable, derived
    /// incrementally: a re-plan with broken valves merges the segments and supply units on both sides of each open
    /// valve that stops bounding (union-find over segments and units, not over the graph). Nothing of the graph's size
    /// is copied: the derived index keeps this index's labels and lists and adds, per base segment and unit, the
    /// representative of its merged set (its smallest label) and the members of each merged set — O(segments + units)
    /// instead of a rebuild. Plans equal those of <c>new SegmentIndex(graph, ExtraInoperable ∪ inoperable)</c>, and
    /// <see cref="SegmentOfNode"/> partitions the nodes the same way. When no valve of the set stops bounding (already
    /// inoperable, closed, off the pipes) this index itself is returned.
    /// </summary>
    public SegmentIndex WithInoperable(IReadOnlySet<int> inoperable)
    {
        ArgumentNullException.ThrowIfNull(inoperable);
        var root = _root ?? this;
        var g = Graph;
        var all = new HashSet<int>(ExtraInoperable);
        var grows = false;
        foreach (var v in inoperable)
        {
            if ((uint)v >= (uint)g.Valves.Count) throw new ArgumentOutOfRangeException(nameof(inoperable), $"no valve index {v}");
            // Only an open valve that bounds today starts to conduct.
            if (ValveBounds[v] && g.Valves[v].State == OpenState.Open) grows = true;
            all.Add(v);
        }
        if (!grows) return this;
        var merging = new List<int>();
        foreach (var v in all) if (root.ValveBounds[v] && g.Valves[v].State == OpenState.Open) merging.Add(v);
        return new SegmentIndex(root, all, merging);
    }

    /// <summary>The derived index of <see cref="WithInoperable"/> over <paramref name="b"/> (a built index): <paramref name="merging"/> stop bounding.</summary>
    private SegmentIndex(SegmentIndex b, HashSet<int> extra, List<int> merging)
    {
        var g = b.Graph;
        Graph = g;
        _root = b;
        ExtraInoperable = extra;
        ValveBounds = (bool[])b.ValveBounds.Clone();
        // Shared with the base index: labels and lists by base segment and unit.
        (NodeSegment, NodeUnit, UnitSegment, UnitSupplied) = (b.NodeSegment, b.NodeUnit, b.UnitSegment, b.UnitSupplied);
        (UnitAdjStart, UnitAdjUnit, UnitAdjValve) = (b.UnitAdjStart, b.UnitAdjUnit, b.UnitAdjValve);
        (SegPieceStart, SegPieces, SegValveStart, SegValves) = (b.SegPieceStart, b.SegPieces, b.SegValveStart, b.SegValves);
        (UnitPieceStart, UnitPieces, UnitConsumerStart, UnitConsumers) = (b.UnitPieceStart, b.UnitPieces, b.UnitConsumerStart, b.UnitConsumers);
        (SegConsumerStart, SegConsumers) = (b.SegConsumerStart, b.SegConsumers);
        SegmentSlots = b.SegmentSlots;
        UnitSlots = b.UnitSlots;

        var segUf = new UnionFind(b.SegmentSlots);
        var unitUf = new UnionFind(b.UnitSlots);
        foreach (var v in merging)
        {
            ValveBounds[v] = false;
            var e = g.ValveEdge[v];
            segUf.Union(b.NodeSegment[g.EdgeFrom[e]], b.NodeSegment[g.EdgeTo[e]]);
            unitUf.Union(b.NodeUnit[g.EdgeFrom[e]], b.NodeUnit[g.EdgeTo[e]]);
        }
        // A merged set is named by its smallest base label: the order of base labels (by smallest node) is kept.
        SegRep = new int[b.SegmentSlots];
        for (var i = 0; i < SegRep.Length; i++) SegRep[i] = segUf.Smallest(i);
        UnitRep = new int[b.UnitSlots];
        for (var i = 0; i < UnitRep.Length; i++) UnitRep[i] = unitUf.Smallest(i);
        // Members of the merged sets: every member is a side of a merging valve.
        SegMembers = Members(merging.SelectMany(v => new[] { b.NodeSegment[g.EdgeFrom[g.ValveEdge[v]]], b.NodeSegment[g.EdgeTo[g.ValveEdge[v]]] }), SegRep);
        UnitMembers = Members(merging.SelectMany(v => new[] { b.NodeUnit[g.EdgeFrom[g.ValveEdge[v]]], b.NodeUnit[g.EdgeTo[g.ValveEdge[v]]] }), UnitRep);
        SegmentCount = b.SegmentCount - SegMembers.Values.Sum(m => m.Length - 1);
        UnitCount = b.UnitCount - UnitMembers.Values.Sum(m => m.Length - 1);
        var sources = new List<int>(b.SourceUnits.Length);
        foreach (var u in b.SourceUnits) if (!sources.Contains(UnitRep[u])) sources.Add(UnitRep[u]);
        SourceUnits = [.. sources];
    }

    private static Dictionary<int, int[]> Members(IEnumerable<int> sides, int[] rep)
    {
        var byRep = new Dictionary<int, SortedSet<int>>();
        foreach (var x in sides)
        {
            if (!byRep.TryGetValue(rep[x], out var set)) byRep[rep[x]] = set = [];
            set.Add(x);
            set.Add(rep[x]);
        }
        return byRep.Where(kv => kv.Value.Count > 1).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    /// <summary>The segment (its representative label) of a node under this index's conditions.</summary>
    internal int Seg(int node) => SegRep is null ? NodeSegment[node] : SegRep[NodeSegment[node]];

    /// <summary>The supply unit (its representative label) of a node.</summary>
    internal int Unit(int node) => UnitRep is null ? NodeUnit[node] : UnitRep[NodeUnit[node]];

    /// <summary>The representative of a base unit label.</summary>
    internal int UnitOf(int baseUnit) => UnitRep is null ? baseUnit : UnitRep[baseUnit];

    /// <summary>The segment (representative) of a base unit label.</summary>
    internal int SegOfUnit(int baseUnit) => SegRep is null ? UnitSegment[baseUnit] : SegRep[UnitSegment[baseUnit]];

    /// <summary>The base segment labels of representative <paramref name="rep"/> (itself when alone), without allocating.</summary>
    internal Labels SegLabels(int rep) => new(SegMembersOf(rep), rep);

    /// <summary>The base unit labels of representative <paramref name="rep"/> (itself when alone), without allocating.</summary>
    internal Labels UnitLabels(int rep) => new(UnitMembersOf(rep), rep);

    /// <summary>A set of base labels: the members of a merged set, or one label.</summary>
    internal readonly struct Labels(int[]? members, int single)
    {
        public Enumerator GetEnumerator() => new(members, single);

        public struct Enumerator(int[]? members, int single)
        {
            private int _i = -1;
            public readonly int Current => members is null ? single : members[_i];
            public bool MoveNext() => ++_i < (members?.Length ?? 1);
        }
    }

    /// <summary>Base segment labels merged into representative <paramref name="rep"/>; null when it is alone.</summary>
    internal int[]? SegMembersOf(int rep) => SegMembers is not null && SegMembers.TryGetValue(rep, out var m) ? m : null;

    /// <summary>Base unit labels merged into representative <paramref name="rep"/>; null when it is alone.</summary>
    internal int[]? UnitMembersOf(int rep) => UnitMembers is not null && UnitMembers.TryGetValue(rep, out var m) ? m : null;

    private static (int[] Start, int[] Items) Csr(int count, IEnumerable<(int Key, int Item)> pairs)
    {
        var list = pairs as IReadOnlyList<(int Key, int Item)> ?? pairs.ToList();
        var start = new int[count + 1];
        foreach (var (k, _) in list) start[k + 1]++;
        for (var i = 0; i < count; i++) start[i + 1] += start[i];
        var items = new int[list.Count];
        var fill = (int[])start.Clone();
        foreach (var (k, item) in list) items[fill[k]++] = item;
        return (start, items);
    }

    /// <summary>Segment of a graph node.</summary>
    public int SegmentOfNode(int node) => Seg(node);

    /// <summary>Segment of an edge (a piece lies in one segment; a bounding valve edge is reported by its first side).</summary>
    public int SegmentOfEdge(int edge) => Seg(Graph.EdgeFrom[edge]);

    /// <summary>True when the valve bounds segments under this index's conditions.</summary>
    public bool Bounds(int valve) => ValveBounds[valve];

    /// <summary>True when the node is supplied from a source in the normal state.</summary>
    public bool IsSupplied(int node) => UnitSupplied[NodeUnit[node]];

    /// <summary>Segments holding the pipe (one, unless valves cut the pipe in its interior), in order along the pipe.</summary>
    public IReadOnlyList<int> SegmentsOfPipe(int pipe)
    {
        var g = Graph;
        if (g.Pipes[pipe].IsStationDevice)
            throw new ArgumentException($"'{g.Pipes[pipe].Id}' is a station device, not a pipe: it has no segment.");
        var list = new List<int>(1);
        foreach (var e in g.EdgesOfPipe(pipe))
        {
            if (g.EdgeKinds[e] != EdgeKind.Piece || !g.IsReportable(e)) continue;
            var s = Seg(g.EdgeFrom[e]);
            if (!list.Contains(s)) list.Add(s);
        }
        return list;
    }

    /// <summary>
    /// The segment holding the longest part of the pipe (the first such part on ties). A pipe has one segment unless
    /// a valve sits inside it; this is the segment a burst somewhere on the pipe most likely lies in.
    /// </summary>
    public int HomeSegmentOfPipe(int pipe)
    {
        var g = Graph;
        if (g.Pipes[pipe].IsStationDevice)
            throw new ArgumentException($"'{g.Pipes[pipe].Id}' is a station device, not a pipe: it has no segment.");
        var best = -1;
        var bestLength = -1.0;
        foreach (var e in g.EdgesOfPipe(pipe))
        {
            if (g.EdgeKinds[e] != EdgeKind.Piece || !g.IsReportable(e)) continue;
            var length = g.EdgeLength(e);
            if (length > bestLength) { best = e; bestLength = length; }
        }
        return Seg(g.EdgeFrom[best]);
    }

    /// <summary>Pipe indices in a segment, in input order.</summary>
    public IReadOnlyList<int> PipesOfSegment(int segment)
    {
        var set = new SortedSet<int>();
        foreach (var m in SegLabels(segment))
            for (var k = SegPieceStart[m]; k < SegPieceStart[m + 1]; k++) set.Add(Graph.EdgePipe[SegPieces[k]]);
        return [.. set];
    }

    /// <summary>Boundary valve indices of a segment, in input order.</summary>
    public IReadOnlyList<int> ValvesOfSegment(int segment)
    {
        var set = new SortedSet<int>();
        foreach (var m in SegLabels(segment))
            for (var k = SegValveStart[m]; k < SegValveStart[m + 1]; k++)
            {
                var v = SegValves[k];
                var e = Graph.ValveEdge[v];
                if (ValveBounds[v] && Seg(Graph.EdgeFrom[e]) != Seg(Graph.EdgeTo[e])) set.Add(v);
            }
        return [.. set];
    }

    /// <summary>
    /// All segments with their pipes and boundary valves, ordered by their first pipe. Segments with no node on a
    /// pipe piece (a station side with nothing attached) are left out.
    /// </summary>
    public IReadOnlyList<NetworkSegment> Segments()
    {
        var hasPiece = new bool[SegmentSlots];
        for (var e = 0; e < Graph.EdgeCount; e++)
            if (Graph.EdgeKinds[e] == EdgeKind.Piece) hasPiece[Seg(Graph.EdgeFrom[e])] = true;
        var result = new List<(int Key, int Segment)>();
        for (var s = 0; s < SegmentSlots; s++)
        {
            if (!hasPiece[s]) continue;
            var pipes = PipesOfSegment(s);
            result.Add((pipes.Count > 0 ? pipes[0] : int.MaxValue, s));
        }
        return result.OrderBy(r => r.Key).ThenBy(r => r.Segment)
            .Select((r, i) => new NetworkSegment(i,
                PipesOfSegment(r.Segment).Select(p => Graph.Pipes[p].Id).ToArray(),
                ValvesOfSegment(r.Segment).Select(v => Graph.Valves[v].Id).ToArray()))
            .ToArray();
    }

    internal Scratch RentScratch() => _scratch.TryTake(out var s) ? s : (_root ?? this)._scratch.TryTake(out var r) ? r
        : new Scratch(SegmentSlots, UnitSlots, Graph.Valves.Count, Graph.Pipes.Count, Graph.Consumers.Count);
    // Scratch arrays are sized by base labels, so a derived index borrows from and returns to its root's pool.
    internal void ReturnScratch(Scratch s) => (_root ?? this)._scratch.Add(s);

    /// <summary>Per-isolation marks. A stamp instead of clearing keeps an isolation proportional to what it touches.</summary>
    internal sealed class Scratch(int segments, int units, int valves, int pipes, int consumers)
    {
        public int Stamp;
        public readonly int[] SegMark = new int[segments];
        public readonly int[] UnitReached = new int[units];
        public readonly int[] ValveMark = new int[valves];
        public readonly int[] PipeMark = new int[pipes];
        public readonly int[] ConsumerMark = new int[consumers];
        public readonly int[] Queue = new int[units];

        public int Next()
        {
            if (++Stamp == int.MaxValue)
            {
                Array.Clear(SegMark); Array.Clear(UnitReached); Array.Clear(ValveMark); Array.Clear(PipeMark); Array.Clear(ConsumerMark);
                Stamp = 1;
            }
            return Stamp;
        }
    }
}
