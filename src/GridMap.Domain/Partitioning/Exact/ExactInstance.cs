namespace GridMap.Domain.Partitioning.Exact;

/// <summary>
/// The part of a partition the exact model solves, with the rules the heuristic applies already decided: the free
/// units (not in locked cells) with 0-based local indices, integer weights (scaled when weights are fractional), the
/// edges that may hold a cell together (connecting edges, the barrier crossings the heuristic was allowed, inside one
/// parent when nesting), and in window mode the cells the bounds exempt — a unit heavier than the maximum is an
/// oversize cell (other units may join it only at a large cost, as the heuristic attaches only what cannot form a cell
/// otherwise); a unit below the minimum that no neighbour can join within the maximum is a cell of its own; with soft
/// barriers a group lighter than the minimum with nothing to join is one cell. Each exemption is forced on every plan
/// the heuristic could report, so "impossible" stays a statement about all plans.
/// </summary>
internal sealed class ExactInstance
{
    public readonly UnitGraph Graph;
    public readonly PartitionOptions Options;
    public readonly int N;                 // free units
    public readonly int[] Global;          // local → graph index
    public readonly int[] Local;           // graph index → local (−1 = locked)
    public readonly double[] Weight;       // original weights
    public readonly long[] W;              // scaled integer weights
    public readonly double Scale;
    public readonly double Lower, Upper, Target;
    public readonly long L, U;             // scaled integer bounds
    public readonly List<int>[] Adj;       // allowed edges (local)
    public readonly List<(int A, int B)> Edges;
    public readonly bool[] Oversize, Light;
    public readonly int[] ExemptGroup;     // −1, or index into ExemptGroups
    public readonly List<List<int>> ExemptGroups = [];
    public readonly int KFree;             // cells to make from the free units (K mode), −1 in window mode
    public readonly HashSet<int> LockedCells;
    public readonly int[] LockedCell;      // graph index → locked cell, −1 when free
    public readonly HashSet<(int A, int B)> Crossings; // graph indices, A < B
    public string? Precheck { get; private set; }

    public ExactInstance(UnitGraph graph, PartitionOptions options, PartitionResult? heuristic)
    {
        Graph = graph; Options = options;
        (Lower, Upper, Target) = new CellPartitioner(options).Bounds(graph);
        LockedCells = new HashSet<int>(options.LockedCells);
        LockedCell = new int[graph.Count];
        Array.Fill(LockedCell, -1);
        if (options.InitialPlan is { } plan)
            for (var u = 0; u < graph.Count; u++)
                if (plan.TryGetValue(graph.Ids[u], out var c) && LockedCells.Contains(c)) LockedCell[u] = c;
        Global = Enumerable.Range(0, graph.Count).Where(u => LockedCell[u] < 0).ToArray();
        N = Global.Length;
        Local = new int[graph.Count];
        Array.Fill(Local, -1);
        for (var i = 0; i < N; i++) Local[Global[i]] = i;
        Weight = Global.Select(u => graph.Weights[u]).ToArray();
        // Integer weights as they are (households); fractional ones in hundredths, checked again on the final plan.
        Scale = Weight.All(x => Math.Abs(x - Math.Round(x)) < 1e-9) ? 1 : 100;
        W = Weight.Select(x => (long)Math.Round(x * Scale)).ToArray();
        L = (long)Math.Ceiling(Lower * Scale - 1e-6);
        U = (long)Math.Floor(Upper * Scale + 1e-6);
        KFree = options.Cells is { } k ? k - LockedCells.Count : -1;

        Crossings = heuristic?.BarrierCrossings.Select(c => (Math.Min(c.A, c.B), Math.Max(c.A, c.B))).ToHashSet() ?? [];
        Adj = new List<int>[N];
        for (var i = 0; i < N; i++) Adj[i] = [];
        Edges = [];
        for (var i = 0; i < N; i++)
        {
            var u = Global[i];
            foreach (var (v, _, connected) in graph.Neighbours(u))
            {
                var j = Local[v];
                if (j <= i) continue;
                if (!connected && !Crossings.Contains((Math.Min(u, v), Math.Max(u, v)))) continue;
                if (options.Nest && graph.Parents[u] != graph.Parents[v]) continue;
                if (Adj[i].Contains(j)) continue;
                Adj[i].Add(j); Adj[j].Add(i); Edges.Add((i, j));
            }
        }

        Oversize = new bool[N]; Light = new bool[N];
        ExemptGroup = new int[N];
        Array.Fill(ExemptGroup, -1);
        if (options.IsWindow)
        {
            for (var i = 0; i < N; i++) Oversize[i] = W[i] > U;
            for (var i = 0; i < N; i++)
                Light[i] = !Oversize[i] && W[i] < L && Adj[i].All(j => W[i] + W[j] > U);
        }
        Classify(heuristicSoft: options.Barriers == BarrierMode.Soft);
    }

    /// <summary>True for units an ordinary cell (within the bounds) may hold.</summary>
    public bool Normal(int i) => !Oversize[i] && !Light[i];

    /// <summary>Connected groups of ordinary units: exemptions (soft barriers) and the cheap impossibility proofs.</summary>
    private void Classify(bool heuristicSoft)
    {
        var seen = new bool[N];
        var kLo = 0; var kHi = 0;
        for (var s = 0; s < N; s++)
        {
            if (seen[s] || !Normal(s)) continue;
            var comp = new List<int> { s };
            seen[s] = true;
            var touchesOversize = false;
            for (var q = 0; q < comp.Count; q++)
                foreach (var v in Adj[comp[q]])
                {
                    if (Oversize[v]) touchesOversize = true;
                    if (seen[v] || !Normal(v)) continue;
                    seen[v] = true; comp.Add(v);
                }
            var total = comp.Sum(i => W[i]);
            var lo = (int)Math.Max(1, CeilDiv(total, U));
            var hi = (int)Math.Min(comp.Count, L > 0 ? total / L : comp.Count);
            var first = Graph.Ids[Global[comp.Min()]];
            if (Options.IsWindow)
            {
                if (touchesOversize) continue; // it may join the oversize cell, as the heuristic lets it
                if (total < L && heuristicSoft)
                {
                    foreach (var i in comp) ExemptGroup[i] = ExemptGroups.Count;
                    ExemptGroups.Add(comp);
                    continue;
                }
                if (lo > hi)
                    Precheck ??= $"{comp.Count} 个相连单元（首个 '{first}'）共 {total / Scale:0.##}，无法整分为每格 {Lower:0.##}–{Upper:0.##} 的网格" +
                        $"（a connected group of {comp.Count} units, first '{first}', weighs {total / Scale:0.##}: no whole number of cells of {Lower:0.##}–{Upper:0.##} fits it）";
            }
            else
            {
                foreach (var i in comp)
                    if (W[i] > U)
                        Precheck ??= $"单元 '{Graph.Ids[Global[i]]}' 单独 {Weight[i]:0.##}，超过每格上限 {Upper:0.##}（unit '{Graph.Ids[Global[i]]}' alone exceeds the largest allowed cell）";
                kLo += lo; kHi += Math.Max(hi, 0);
                if (lo > hi)
                    Precheck ??= $"{comp.Count} 个相连单元（首个 '{first}'）共 {total / Scale:0.##}，无法整分为每格 {Lower:0.##}–{Upper:0.##} 的网格" +
                        $"（a connected group of {comp.Count} units, first '{first}', weighs {total / Scale:0.##}: no whole number of cells of {Lower:0.##}–{Upper:0.##} fits it）";
            }
        }
        if (!Options.IsWindow && Precheck is null && (kLo > KFree || kHi < KFree))
            Precheck = $"各相连区域需要 {kLo}–{kHi} 个网格，而要求 {KFree} 个（the separate groups of units need between {kLo} and {kHi} cells of " +
                $"{Lower:0.##}–{Upper:0.##}, but {KFree} were asked for）";
        if (!Options.IsWindow && KFree < 1)
            Precheck ??= $"锁定网格数不少于网格总数（{LockedCells.Count} locked cells leave no cell for the {N} free units）";
    }

    private static long CeilDiv(long a, long b) => b <= 0 ? long.MaxValue : (a + b - 1) / b;

    /// <summary>Distance between the centroids of local units <paramref name="i"/> and <paramref name="j"/>, metres.</summary>
    public double Distance(int i, int j)
    {
        var g = Graph; int a = Global[i], b = Global[j];
        var dx = g.X[a] - g.X[b]; var dy = g.Y[a] - g.Y[b];
        return Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>Ordinary cells (labelled by their centre unit) may hold unit i when the lightest path from the centre to
    /// it through ordinary units weighs at most <paramref name="cap"/> (any contiguous cell holding both holds such a
    /// path): the reachable units per centre, by node-weighted Dijkstra.</summary>
    public List<int> Reach(int j, long cap)
    {
        var result = new List<int>();
        if (Oversize[j])
        {
            // The oversize cell: its unit and any ordinary unit connected to it through ordinary units.
            var seen = new HashSet<int> { j };
            result.Add(j);
            for (var q = 0; q < result.Count; q++)
                foreach (var v in Adj[result[q]])
                    if (Normal(v) && ExemptGroup[v] < 0 && seen.Add(v)) result.Add(v);
            return result;
        }
        if (Light[j]) return [j];
        if (ExemptGroup[j] >= 0) return [.. ExemptGroups[ExemptGroup[j]]];
        if (W[j] > cap) return result;
        var dist = new Dictionary<int, long> { [j] = W[j] };
        var pq = new PriorityQueue<int, long>();
        pq.Enqueue(j, W[j]);
        var done = new HashSet<int>();
        while (pq.TryDequeue(out var u, out var d))
        {
            if (!done.Add(u)) continue;
            result.Add(u);
            foreach (var v in Adj[u])
            {
                if (!Normal(v) || ExemptGroup[v] >= 0 || done.Contains(v)) continue;
                var nd = d + W[v];
                if (nd > cap) continue;
                if (!dist.TryGetValue(v, out var old) || nd < old) { dist[v] = nd; pq.Enqueue(v, nd); }
            }
        }
        return result;
    }
}
