using System.Runtime.InteropServices;
using GridMap.Domain.Graphs;

namespace GridMap.Domain.Partitioning.Search;

/// <summary>A split of a region: the units of the part (the rest is the region without them), how many cells the part
/// is for, its score (larger is better), whether both sides can hold their cells within the bounds, and otherwise how
/// far the part's weight misses the proportional share.</summary>
internal readonly record struct Split(int[] Part, int PartCells, double Score, bool Feasible, double Miss);

/// <summary>
/// Bisection through the adjacency, the engine's one way of cutting a connected region in two: used to seed a start
/// (recursive bisection into K cells), to re-split two merged cells in the local search, and to rebalance a pair in
/// the repair. Two kinds of candidate: sweeps that grow a part from an extreme unit — along a direction, or as a disc
/// around a random unit — always through neighbours, so the part is connected, and cuts of a random spanning tree,
/// whose subtrees give two connected sides at once. The best-scoring candidate whose sides can hold their cells
/// within [L, U] wins.
/// </summary>
internal sealed class Bisection
{
    private const double Eps = PartitionState.Eps;
    private const double TieWeight = PartitionState.TieWeight;
    private readonly SubProblem _g;
    private readonly double _lo, _hi;
    private readonly bool _cutObjective;
    private Random _rng;
    private readonly Connectivity _connectivity;
    // _mark = _gen: in the region being split; _mark2 = inPart: taken by the sweep; _mark3 = queued by the sweep.
    private readonly int[] _mark, _mark2, _mark3;
    private int _gen, _gen2, _gen3;
    private readonly double[] _key;
    // Buffers reused by every call (a start bisects tens of thousands of regions: fresh lists, queues and dictionaries
    // per call kept the garbage collector busy). Only allocation changed: the same random draws in the same order,
    // the same candidates in the same order, so a seed gives the same plan as before.
    private readonly PriorityQueue<int, double> _pq = new();
    private readonly List<int> _order = [];
    private readonly List<(int Step, double Score)> _sweepCands = [];
    private readonly int[] _local, _pre, _par, _tin, _size, _visited, _tOff, _tFill, _tAdj;
    private readonly double[] _sw;
    private int _visitGen;
    private readonly List<(int, int)> _edges = [];
    private readonly List<(int, int)> _treeEdges = [];
    private readonly Stack<int> _stack = new();
    private readonly List<(int V, int K)> _treeCands = [];
    private readonly List<int> _firstComponent = [];

    public Bisection(PartitionState state) : this(state, state.Rng, state.Connectivity) { }

    /// <summary>A bisection with its own buffers, random source and contiguity helper, so that several can cut
    /// disjoint regions of one state at once (<see cref="LocalSearch.RecombineBatched"/>).</summary>
    public Bisection(PartitionState state, Random rng, Connectivity connectivity)
    {
        _connectivity = connectivity;
        _g = state.G; _lo = state.Lo; _hi = state.Hi; _cutObjective = state.CutObjective; _rng = rng;
        var n = _g.N;
        _mark = new int[n]; _mark2 = new int[n]; _mark3 = new int[n];
        _key = new double[n];
        _local = new int[n]; _pre = new int[n]; _par = new int[n]; _tin = new int[n]; _size = new int[n]; _visited = new int[n];
        _tOff = new int[n + 1]; _tFill = new int[n]; _tAdj = new int[2 * Math.Max(1, n)];
        _sw = new double[n];
    }

    /// <summary>The random source the next cuts draw from (a worker's bisection gets one per region).</summary>
    public Random Rng { get => _rng; set => _rng = value; }

    /// <summary>
    /// Splits region <paramref name="r"/> (connected) into a part for <paramref name="k1"/> cells and the rest
    /// for <paramref name="k2"/> cells. Returns the best-scoring split whose both sides can hold their cells
    /// within [L, U]; failing that, the split closest to the proportional weight (Feasible = false).
    /// <paramref name="floor"/>: the caller keeps only a feasible split scoring above it (a re-split of a balanced pair
    /// must beat the pair as it is). Candidates at or below it are not checked further (no pocket floods, no copies) and
    /// no fallback is made, so a split that would be refused comes back empty instead; the random draws are the same,
    /// so every split above the floor is the one an unbounded call returns.
    /// </summary>
    public Split Bisect(List<int> r, int k1, int k2, int sweeps, int trees, bool radial = true, double floor = double.NegativeInfinity)
    {
        _gen++;
        double w = 0, area = 0, perim = 0;
        foreach (var u in CollectionsMarshal.AsSpan(r)) _mark[u] = _gen;
        foreach (var u in CollectionsMarshal.AsSpan(r))
        {
            w += _g.W[u]; area += _g.A[u]; perim += _g.P[u];
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++) if (_mark[_g.Nbr[e]] == _gen) perim -= _g.Len[e];
        }
        var region = new Region(r, _gen, w, area, perim);
        Split best = default; var haveBest = false;
        Split fallback = default; var haveFallback = false;
        void Consider(Split? s)
        {
            if (s is not { } x) return;
            if (x.Feasible) { if (!haveBest || x.Score > best.Score) { best = x; haveBest = true; } }
            else if (!haveFallback || x.Miss < fallback.Miss) { fallback = x; haveFallback = true; }
        }
        var offset = _rng.NextDouble() * 2 * Math.PI;
        for (var s = 0; s < sweeps; s++)
        {
            // Even sweeps are straight (a half-plane at angle θ), odd ones radial (a disc grown around a random
            // unit): boundaries that are not straight lines are often the compact ones.
            var theta = offset + 2 * Math.PI * (radial ? s / 2 * 2 : s) / sweeps;
            var anchor = radial && (s & 1) == 1 && sweeps >= 4 ? r[_rng.Next(r.Count)] : -1;
            Consider(Sweep(region, k1, k2, theta, anchor, floor));
            if (k1 != k2) Consider(Sweep(region, k2, k1, theta, anchor, floor));
        }
        for (var t = 0; t < trees; t++) Consider(TreeCut(region, k1, k2, floor));
        if (haveBest) return best;
        return haveFallback ? fallback : new Split([], k1, double.NegativeInfinity, false, double.PositiveInfinity);
    }

    private sealed record Region(List<int> Nodes, int Gen, double Weight, double Area, double Perimeter);

    private static double Pp(double a, double p) => PartitionState.Pp(a, p);

    private (double Lo, double Hi) Band(double w, int kx, int ky) => (Math.Max(kx * _lo, w - ky * _hi), Math.Min(kx * _hi, w - ky * _lo));

    private double SplitScore(Region r, int kx, int ky, double a1, double p1, double cutLen, int cutCnt)
    {
        var final = kx == 1 && ky == 1;
        if (_cutObjective) return -cutCnt + (final ? TieWeight * (Pp(a1, p1) + Pp(r.Area - a1, r.Perimeter - p1 + 2 * cutLen)) : 0);
        if (final) return Pp(a1, p1) + Pp(r.Area - a1, r.Perimeter - p1 + 2 * cutLen);
        return -cutLen;
    }

    /// <summary>Grows a part from the extreme unit in direction θ, always through adjacency (so the part is
    /// contiguous), and cuts where the part's weight fits the band and the rest stays connected.</summary>
    private Split? Sweep(Region r, int kx, int ky, double theta, int anchor, double floor)
    {
        var (lo, hi) = Band(r.Weight, kx, ky);
        var target = r.Weight * kx / (kx + ky);
        double cx = Math.Cos(theta), cy = Math.Sin(theta);
        var start = -1; var min = double.PositiveInfinity;
        foreach (var u in CollectionsMarshal.AsSpan(r.Nodes))
        {
            var key = anchor < 0 ? _g.X[u] * cx + _g.Y[u] * cy
                : (_g.X[u] - _g.X[anchor]) * (_g.X[u] - _g.X[anchor]) + (_g.Y[u] - _g.Y[anchor]) * (_g.Y[u] - _g.Y[anchor]);
            _key[u] = key;
            if (key < min) { min = key; start = u; }
        }
        var inPart = ++_gen2; var queued = ++_gen3;
        var pq = _pq;
        pq.Clear();
        pq.Enqueue(start, min); _mark3[start] = queued;
        var order = _order;
        order.Clear();
        double w1 = 0, a1 = 0, p1 = 0, cutLen = 0; var cutCnt = 0;
        var cands = _sweepCands;
        cands.Clear();
        var bestMiss = double.PositiveInfinity; var bestMissStep = -1;
        // The graph's arrays and the marks in locals: the loop below runs for every unit of every sweep of every re-cut.
        var off = _g.Off; var nbr = _g.Nbr; var len = _g.Len; var conn = _g.Conn;
        var mark = _mark; var mark2 = _mark2; var mark3 = _mark3; var keys = _key; var gen = r.Gen;
        var limit = r.Nodes.Count - 1;
        while (pq.Count > 0 && order.Count < limit)
        {
            var u = pq.Dequeue();
            double sIn = 0, sOut = 0; int cIn = 0, cOut = 0;
            for (int e = off[u], end = off[u + 1]; e < end; e++)
            {
                var v = nbr[e];
                if (mark[v] != gen) continue;
                var c = conn[e];
                if (mark2[v] == inPart) { sIn += len[e]; if (c) cIn++; }
                else
                {
                    sOut += len[e];
                    if (c)
                    {
                        cOut++;
                        if (mark3[v] != queued) { mark3[v] = queued; pq.Enqueue(v, keys[v]); }
                    }
                }
            }
            mark2[u] = inPart; order.Add(u);
            w1 += _g.W[u]; a1 += _g.A[u]; p1 += _g.P[u] - 2 * sIn; cutLen += sOut - sIn; cutCnt += cOut - cIn;
            if (w1 >= lo - Eps && w1 <= hi + Eps)
            {
                var score = SplitScore(r, kx, ky, a1, p1, cutLen, cutCnt);
                if (score > floor) cands.Add((order.Count, score));
            }
            var miss = Math.Abs(w1 - target);
            if (miss < bestMiss) { bestMiss = miss; bestMissStep = order.Count; }
            if (w1 > hi + Eps && w1 > target) break;
        }
        // A growth front leaves pockets behind (units enclosed by the part but not yet taken): they join the
        // part when it still fits the band, so the rest stays connected.
        // The eight best cut positions, best first; equal scores in the order they were found (steps increase, so
        // this is the stable order the LINQ sort gave).
        cands.Sort(static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Step.CompareTo(y.Step));
        for (var c = 0; c < Math.Min(8, cands.Count); c++)
        {
            var (step, score) = cands[c];
            var pockets = RestPockets(r, order, step);
            if (pockets is null) continue;
            if (pockets.Count == 0) return new Split(order.Take(step).ToArray(), kx, score, true, 0);
            var wp = w1At(step) + pockets.Sum(u => _g.W[u]);
            if (wp >= lo - Eps && wp <= hi + Eps) return new Split(order.Take(step).Concat(pockets).ToArray(), kx, score, true, 0);
        }
        if (bestMissStep > 0 && double.IsNegativeInfinity(floor) && RestPockets(r, order, bestMissStep) is { } fill)
        {
            var wf = w1At(bestMissStep) + fill.Sum(u => _g.W[u]);
            return new Split(order.Take(bestMissStep).Concat(fill).ToArray(), kx, double.NegativeInfinity, false, Math.Abs(wf - target));
        }
        return null;

        double w1At(int step) { double w = 0; for (var i = 0; i < step; i++) w += _g.W[order[i]]; return w; }
    }

    /// <summary>Follows connecting edges inside the region being split.</summary>
    private readonly struct InRegion(bool[] conn, int[] mark, int gen) : IEdgeFilter
    {
        private readonly bool[] _conn = conn;
        private readonly int[] _mark = mark;
        private readonly int _gen = gen;
        public bool Follow(int from, int edge, int to) => _conn[edge] && _mark[to] == _gen;
    }

    /// <summary>Units of the region outside the first <paramref name="step"/> of <paramref name="order"/> that are
    /// cut off from the largest remaining component; empty when the rest is connected, null when no rest.</summary>
    private List<int>? RestPockets(Region r, List<int> order, int step)
    {
        if (r.Nodes.Count - step <= 0) return null;
        var connectivity = _connectivity;
        connectivity.BeginPass();
        for (var i = 0; i < step; i++) connectivity.Exclude(order[i]);
        // Usually the rest is connected: one flood tells. When it is not, that flood was the first component already
        // (the one Components would list first: it starts from the same unit, depth first); the others follow from the
        // same pass instead of a second walk over the whole rest.
        foreach (var u in r.Nodes)
        {
            if (connectivity.Seen(u)) continue;
            var first = _firstComponent;
            first.Clear();
            if (connectivity.Flood(u, new InRegion(_g.Conn, _mark, r.Gen), first) == r.Nodes.Count - step) return [];
            var comps = connectivity.Components(Connectivity.Span(r.Nodes), new InRegion(_g.Conn, _mark, r.Gen));
            if (comps.Count == 0) return [];
            comps.Insert(0, [.. first]);
            var largest = comps.MaxBy(c => c.Count)!;
            return comps.Where(c => c != largest).SelectMany(c => c).ToList();
        }
        return [];
    }

    /// <summary>Random spanning tree of the region (Kruskal on shuffled edges); a tree edge whose subtree
    /// fits the band gives two contiguous sides at once.</summary>
    private Split? TreeCut(Region r, int k1, int k2, double floor)
    {
        var nodes = r.Nodes;
        var m = nodes.Count;
        if (m < 2) return null;
        var local = _local;
        for (var i = 0; i < m; i++) local[nodes[i]] = i;
        var edges = _edges;
        edges.Clear();
        for (var i = 0; i < m; i++)
        {
            var u = nodes[i];
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && _mark[_g.Nbr[e]] == r.Gen && _g.Nbr[e] > u) edges.Add((i, local[_g.Nbr[e]]));
        }
        for (var i = edges.Count - 1; i > 0; i--) { var j = _rng.Next(i + 1); (edges[i], edges[j]) = (edges[j], edges[i]); }
        // Kruskal takes an edge exactly when its ends are still in different trees, whichever roots the union-find
        // keeps: the tree depends only on the shuffled order.
        var forest = new UnionFind(m);
        var tree = _treeEdges;
        tree.Clear();
        foreach (var (a, b) in edges)
        {
            if (!forest.Union(a, b)) continue;
            tree.Add((a, b));
            if (tree.Count == m - 1) break;
        }
        if (tree.Count != m - 1) return null;
        // The tree as compressed rows, each unit's neighbours in the order their edges were taken.
        var off = _tOff; var fill = _tFill; var adj = _tAdj;
        Array.Clear(off, 0, m + 1);
        foreach (var (a, b) in tree) { off[a + 1]++; off[b + 1]++; }
        for (var i = 0; i < m; i++) { off[i + 1] += off[i]; fill[i] = off[i]; }
        foreach (var (a, b) in tree) { adj[fill[a]++] = b; adj[fill[b]++] = a; }
        var root = _rng.Next(m);
        var pre = _pre; var par = _par; var tin = _tin;
        var stack = _stack;
        stack.Clear();
        stack.Push(root); par[root] = -1;
        var idx = 0;
        var visit = ++_visitGen;
        var visited = _visited;
        visited[root] = visit;
        while (stack.Count > 0)
        {
            var x = stack.Pop(); tin[x] = idx; pre[idx++] = x;
            for (var k = off[x]; k < off[x + 1]; k++)
            {
                var y = adj[k];
                if (visited[y] != visit) { visited[y] = visit; par[y] = x; stack.Push(y); }
            }
        }
        var size = _size; var sw = _sw;
        Array.Clear(size, 0, m); Array.Clear(sw, 0, m);
        for (var i = m - 1; i >= 0; i--)
        {
            var x = pre[i]; size[x]++; sw[x] += _g.W[nodes[x]];
            if (par[x] >= 0) { size[par[x]] += size[x]; sw[par[x]] += sw[x]; }
        }
        var (lo1, hi1) = Band(r.Weight, k1, k2);
        var (lo2, hi2) = Band(r.Weight, k2, k1);
        var cands = _treeCands;
        cands.Clear();
        for (var x = 0; x < m; x++)
        {
            if (x == root) continue;
            if (sw[x] >= lo1 - Eps && sw[x] <= hi1 + Eps) cands.Add((x, k1));
            else if (k1 != k2 && sw[x] >= lo2 - Eps && sw[x] <= hi2 + Eps) cands.Add((x, k2));
        }
        if (cands.Count == 0) return null;
        var bestFrom = -1; var bestTo = -1; var bestK = 0; var bestScore = double.NegativeInfinity;
        for (var t = 0; t < Math.Min(6, cands.Count); t++)
        {
            var pick = cands.Count <= 6 ? cands[t] : cands[_rng.Next(cands.Count)];
            int from = tin[pick.V], to = tin[pick.V] + size[pick.V];
            double a1 = 0, p1 = 0, cutLen = 0; var cutCnt = 0;
            for (var i = from; i < to; i++)
            {
                var u = nodes[pre[i]];
                a1 += _g.A[u]; p1 += _g.P[u];
                for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                {
                    var v = _g.Nbr[e];
                    if (_mark[v] != r.Gen) continue;
                    var tv = tin[local[v]];
                    if (tv >= from && tv < to) p1 -= _g.Len[e];
                    else { cutLen += _g.Len[e]; if (_g.Conn[e]) cutCnt++; }
                }
            }
            var score = SplitScore(r, pick.K, pick.K == k1 ? k2 : k1, a1, p1, cutLen, cutCnt);
            if (bestFrom < 0 || score > bestScore) { bestFrom = from; bestTo = to; bestK = pick.K; bestScore = score; }
        }
        if (bestScore <= floor) return null;
        var part = new int[bestTo - bestFrom];
        for (var i = bestFrom; i < bestTo; i++) part[i - bestFrom] = nodes[pre[i]];
        Split? best = new Split(part, bestK, bestScore, true, 0);
        return best;
    }
}
