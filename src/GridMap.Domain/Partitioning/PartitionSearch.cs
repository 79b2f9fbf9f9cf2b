using System.Diagnostics;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// The search for one <see cref="SubProblem"/>: K cells with weights in [L, U], contiguous, maximising
/// Σ Polsby-Popper (or minimising cut edges). A start is: recursive bisection (geometric sweeps grown
/// through the adjacency, plus random spanning-tree cuts, keeping the best balanced split), balance
/// repair, then large-neighbourhood search — merge two adjacent cells and re-split them the same way,
/// keep the better — and contiguity-safe single-unit moves. Everything random comes from one seeded
/// <see cref="Random"/>, so a start is reproducible.
/// </summary>
internal sealed class PartitionSearch
{
    private const double Eps = 1e-9;
    /// <summary>Weight of compactness as a tie-breaker under the cut-edges objective: Σ of two PP values is
    /// below 2, so 0.1 × it never outweighs one cut edge.</summary>
    private const double TieWeight = 0.1;
    private readonly SubProblem _g;
    private readonly int _k;
    private readonly double _lo, _hi;
    private readonly bool _cutObjective;
    private readonly Random _rng;

    public readonly int[] Cell;
    private readonly double[] _cw, _ca, _cp;
    private readonly int[] _cn;
    private readonly List<int>[] _members;
    private readonly int[] _pos;
    private readonly int[] _mark, _mark2, _mark3;
    /// <summary>Cells already in the current ejection chain (= <c>_gen</c>).</summary>
    private readonly int[] _cellMark;
    private int _gen, _gen2, _gen3;
    private readonly double[] _key;

    public PartitionSearch(SubProblem g, int k, double lower, double upper, bool cutObjective, int seed)
    {
        _g = g; _k = k; _lo = lower; _hi = upper; _cutObjective = cutObjective;
        _rng = new Random(seed);
        Cell = new int[g.N];
        Array.Fill(Cell, -1);
        _cw = new double[k]; _ca = new double[k]; _cp = new double[k]; _cn = new int[k];
        _members = new List<int>[k];
        for (var c = 0; c < k; c++) _members[c] = [];
        _pos = new int[g.N];
        _mark = new int[g.N]; _mark2 = new int[g.N]; _mark3 = new int[g.N];
        _cellMark = new int[k];
        _key = new double[g.N];
    }

    private static double Pp(double a, double p) => p > 0 ? 4 * Math.PI * a / (p * p) : 0;

    // ---------------------------------------------------------------- state

    /// <summary>Loads an assignment (every unit 0..K−1) and recomputes the cell totals.</summary>
    public void Load(int[] cell)
    {
        Array.Clear(_cw); Array.Clear(_ca); Array.Clear(_cp); Array.Clear(_cn);
        foreach (var m in _members) m.Clear();
        for (var u = 0; u < _g.N; u++)
        {
            var c = cell[u];
            Cell[u] = c;
            _pos[u] = _members[c].Count; _members[c].Add(u);
            _cw[c] += _g.W[u]; _ca[c] += _g.A[u]; _cp[c] += _g.P[u]; _cn[c]++;
        }
        for (var u = 0; u < _g.N; u++)
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (Cell[_g.Nbr[e]] == Cell[u]) _cp[Cell[u]] -= _g.Len[e];
    }

    private void Move(int u, int b)
    {
        var a = Cell[u];
        double sa = 0, sb = 0;
        for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
        {
            var c = Cell[_g.Nbr[e]];
            if (c == a) sa += _g.Len[e]; else if (c == b) sb += _g.Len[e];
        }
        _cp[a] -= _g.P[u] - 2 * sa; _cp[b] += _g.P[u] - 2 * sb;
        _cw[a] -= _g.W[u]; _cw[b] += _g.W[u];
        _ca[a] -= _g.A[u]; _ca[b] += _g.A[u];
        _cn[a]--; _cn[b]++;
        var list = _members[a];
        var last = list[^1];
        list[_pos[u]] = last; _pos[last] = _pos[u]; list.RemoveAt(list.Count - 1);
        _pos[u] = _members[b].Count; _members[b].Add(u);
        Cell[u] = b;
    }

    private double Violation(double w) => w > _hi ? w - _hi : w < _lo ? _lo - w : 0;
    public double TotalViolation() { double v = 0; for (var c = 0; c < _k; c++) v += Violation(_cw[c]); return v; }
    public bool IsBalanced() => TotalViolation() <= Eps * Math.Max(1, _hi);

    /// <summary>Objective, larger is better: Σ PP, or −(cut edges).</summary>
    public double Score()
    {
        if (!_cutObjective) { double s = 0; for (var c = 0; c < _k; c++) s += Pp(_ca[c], _cp[c]); return s; }
        var cut = 0;
        for (var u = 0; u < _g.N; u++)
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && _g.Nbr[e] > u && Cell[_g.Nbr[e]] != Cell[u]) cut++;
        return -cut + TieWeight * MeanPp();
    }

    public double MeanPp() { double s = 0; for (var c = 0; c < _k; c++) s += Pp(_ca[c], _cp[c]); return s / _k; }

    // ---------------------------------------------------------------- contiguity

    /// <summary>Can <paramref name="u"/> leave its cell without splitting it?</summary>
    private bool CanRemove(int u)
    {
        var a = Cell[u];
        if (_cn[a] <= 1) return false;
        var first = -1; var need = 0;
        _gen3++;
        for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
        {
            var v = _g.Nbr[e];
            if (!_g.Conn[e] || Cell[v] != a || _mark3[v] == _gen3) continue;
            _mark3[v] = _gen3; need++;
            if (first < 0) first = v;
        }
        if (need == 0) return false;
        if (need == 1) return true;
        // BFS inside the cell without u until every cell-neighbour of u is reached.
        var targetGen = _gen3;
        _gen2++;
        var stack = new Stack<int>();
        stack.Push(first); _mark2[first] = _gen2; _mark2[u] = _gen2;
        var found = 1;
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            for (var e = _g.Off[x]; e < _g.Off[x + 1]; e++)
            {
                var v = _g.Nbr[e];
                if (!_g.Conn[e] || Cell[v] != a || _mark2[v] == _gen2) continue;
                _mark2[v] = _gen2;
                if (_mark3[v] == targetGen && ++found == need) return true;
                stack.Push(v);
            }
        }
        return false;
    }

    /// <summary>Reassigns detached pieces of cells to the neighbouring cell they share most boundary with.</summary>
    public void FixContiguity()
    {
        for (var round = 0; round < 20; round++)
        {
            var changed = false;
            for (var c = 0; c < _k; c++)
            {
                var comps = Components(_members[c]);
                if (comps.Count <= 1) continue;
                var keep = comps.OrderByDescending(l => l.Sum(u => _g.W[u])).ThenByDescending(l => l.Count).First();
                foreach (var comp in comps)
                {
                    if (comp == keep) continue;
                    var shared = new Dictionary<int, double>();
                    foreach (var u in comp)
                        for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                            if (_g.Conn[e] && Cell[_g.Nbr[e]] != c)
                                shared[Cell[_g.Nbr[e]]] = shared.GetValueOrDefault(Cell[_g.Nbr[e]]) + _g.Len[e] + 1e-9;
                    if (shared.Count == 0) continue;
                    var to = shared.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
                    foreach (var u in comp) Move(u, to);
                    changed = true;
                }
            }
            if (!changed) return;
        }
    }

    private List<List<int>> Components(List<int> nodes)
    {
        _gen++;
        foreach (var u in nodes) _mark[u] = _gen;
        var gSeen = ++_gen2;
        var result = new List<List<int>>();
        var stack = new Stack<int>();
        foreach (var s in nodes)
        {
            if (_mark2[s] == gSeen) continue;
            var comp = new List<int>();
            _mark2[s] = gSeen; stack.Push(s);
            while (stack.Count > 0)
            {
                var x = stack.Pop(); comp.Add(x);
                for (var e = _g.Off[x]; e < _g.Off[x + 1]; e++)
                {
                    var v = _g.Nbr[e];
                    if (_g.Conn[e] && _mark[v] == _gen && _mark2[v] != gSeen) { _mark2[v] = gSeen; stack.Push(v); }
                }
            }
            result.Add(comp);
        }
        return result;
    }

    public bool AllContiguous()
    {
        for (var c = 0; c < _k; c++) if (_cn[c] == 0 || Components(_members[c]).Count > 1) return false;
        return true;
    }

    // ---------------------------------------------------------------- bisection

    private readonly record struct Split(int[] Part, int PartCells, double Score, bool Feasible, double Miss);

    /// <summary>
    /// Splits region <paramref name="r"/> (connected) into a part for <paramref name="k1"/> cells and the rest
    /// for <paramref name="k2"/> cells. Returns the best-scoring split whose both sides can hold their cells
    /// within [L, U]; failing that, the split closest to the proportional weight (Feasible = false).
    /// </summary>
    private Split Bisect(List<int> r, int k1, int k2, int sweeps, int trees, bool radial = true)
    {
        _gen++;
        double w = 0, area = 0, perim = 0;
        foreach (var u in r) _mark[u] = _gen;
        foreach (var u in r)
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
            Consider(Sweep(region, k1, k2, theta, anchor));
            if (k1 != k2) Consider(Sweep(region, k2, k1, theta, anchor));
        }
        for (var t = 0; t < trees; t++) Consider(TreeCut(region, k1, k2));
        if (haveBest) return best;
        return haveFallback ? fallback : new Split([], k1, double.NegativeInfinity, false, double.PositiveInfinity);
    }

    private sealed record Region(List<int> Nodes, int Gen, double Weight, double Area, double Perimeter);

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
    private Split? Sweep(Region r, int kx, int ky, double theta, int anchor = -1)
    {
        var (lo, hi) = Band(r.Weight, kx, ky);
        var target = r.Weight * kx / (kx + ky);
        double cx = Math.Cos(theta), cy = Math.Sin(theta);
        var start = -1; var min = double.PositiveInfinity;
        foreach (var u in r.Nodes)
        {
            var key = anchor < 0 ? _g.X[u] * cx + _g.Y[u] * cy
                : (_g.X[u] - _g.X[anchor]) * (_g.X[u] - _g.X[anchor]) + (_g.Y[u] - _g.Y[anchor]) * (_g.Y[u] - _g.Y[anchor]);
            _key[u] = key;
            if (key < min) { min = key; start = u; }
        }
        var inPart = ++_gen2; var queued = ++_gen3;
        var pq = new PriorityQueue<int, double>();
        pq.Enqueue(start, min); _mark3[start] = queued;
        var order = new List<int>(r.Nodes.Count);
        double w1 = 0, a1 = 0, p1 = 0, cutLen = 0; var cutCnt = 0;
        var cands = new List<(int Step, double Score)>();
        var bestMiss = double.PositiveInfinity; var bestMissStep = -1;
        while (pq.Count > 0 && order.Count < r.Nodes.Count - 1)
        {
            var u = pq.Dequeue();
            double sIn = 0, sOut = 0; int cIn = 0, cOut = 0;
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
            {
                var v = _g.Nbr[e];
                if (_mark[v] != r.Gen) continue;
                if (_mark2[v] == inPart) { sIn += _g.Len[e]; if (_g.Conn[e]) cIn++; }
                else
                {
                    sOut += _g.Len[e]; if (_g.Conn[e]) cOut++;
                    if (_g.Conn[e] && _mark3[v] != queued) { _mark3[v] = queued; pq.Enqueue(v, _key[v]); }
                }
            }
            _mark2[u] = inPart; order.Add(u);
            w1 += _g.W[u]; a1 += _g.A[u]; p1 += _g.P[u] - 2 * sIn; cutLen += sOut - sIn; cutCnt += cOut - cIn;
            if (w1 >= lo - Eps && w1 <= hi + Eps) cands.Add((order.Count, SplitScore(r, kx, ky, a1, p1, cutLen, cutCnt)));
            var miss = Math.Abs(w1 - target);
            if (miss < bestMiss) { bestMiss = miss; bestMissStep = order.Count; }
            if (w1 > hi + Eps && w1 > target) break;
        }
        // A growth front leaves pockets behind (units enclosed by the part but not yet taken): they join the
        // part when it still fits the band, so the rest stays connected.
        foreach (var (step, score) in cands.OrderByDescending(c => c.Score).Take(8))
        {
            var pockets = RestPockets(r, order, step);
            if (pockets is null) continue;
            if (pockets.Count == 0) return new Split(order.Take(step).ToArray(), kx, score, true, 0);
            var wp = w1At(step) + pockets.Sum(u => _g.W[u]);
            if (wp >= lo - Eps && wp <= hi + Eps) return new Split(order.Take(step).Concat(pockets).ToArray(), kx, score, true, 0);
        }
        if (bestMissStep > 0 && RestPockets(r, order, bestMissStep) is { } fill)
        {
            var wf = w1At(bestMissStep) + fill.Sum(u => _g.W[u]);
            return new Split(order.Take(bestMissStep).Concat(fill).ToArray(), kx, double.NegativeInfinity, false, Math.Abs(wf - target));
        }
        return null;

        double w1At(int step) { double w = 0; for (var i = 0; i < step; i++) w += _g.W[order[i]]; return w; }
    }

    /// <summary>Units of the region outside the first <paramref name="step"/> of <paramref name="order"/> that are
    /// cut off from the largest remaining component; empty when the rest is connected, null when no rest.</summary>
    private List<int>? RestPockets(Region r, List<int> order, int step)
    {
        var inPart = ++_gen2;
        for (var i = 0; i < step; i++) _mark2[order[i]] = inPart;
        if (r.Nodes.Count - step <= 0) return null;
        var seen = ++_gen3;
        var comps = new List<List<int>>();
        var stack = new Stack<int>();
        foreach (var s0 in r.Nodes)
        {
            if (_mark2[s0] == inPart || _mark3[s0] == seen) continue;
            var comp = new List<int>();
            stack.Push(s0); _mark3[s0] = seen;
            while (stack.Count > 0)
            {
                var x = stack.Pop(); comp.Add(x);
                for (var e = _g.Off[x]; e < _g.Off[x + 1]; e++)
                {
                    var v = _g.Nbr[e];
                    if (!_g.Conn[e] || _mark[v] != r.Gen || _mark2[v] == inPart || _mark3[v] == seen) continue;
                    _mark3[v] = seen; stack.Push(v);
                }
            }
            comps.Add(comp);
        }
        if (comps.Count == 1) return [];
        var largest = comps.MaxBy(c => c.Count)!;
        return comps.Where(c => c != largest).SelectMany(c => c).ToList();
    }

    /// <summary>Random spanning tree of the region (Kruskal on shuffled edges); a tree edge whose subtree
    /// fits the band gives two contiguous sides at once.</summary>
    private Split? TreeCut(Region r, int k1, int k2)
    {
        var nodes = r.Nodes;
        var m = nodes.Count;
        if (m < 2) return null;
        var local = new Dictionary<int, int>(m);
        for (var i = 0; i < m; i++) local[nodes[i]] = i;
        var edges = new List<(int, int)>();
        for (var i = 0; i < m; i++)
        {
            var u = nodes[i];
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && _mark[_g.Nbr[e]] == r.Gen && _g.Nbr[e] > u) edges.Add((i, local[_g.Nbr[e]]));
        }
        for (var i = edges.Count - 1; i > 0; i--) { var j = _rng.Next(i + 1); (edges[i], edges[j]) = (edges[j], edges[i]); }
        var parent = new int[m];
        for (var i = 0; i < m; i++) parent[i] = i;
        int Find(int x) { while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
        var adj = new List<int>[m];
        for (var i = 0; i < m; i++) adj[i] = [];
        var used = 0;
        foreach (var (a, b) in edges)
        {
            int ra = Find(a), rb = Find(b);
            if (ra == rb) continue;
            parent[ra] = rb; adj[a].Add(b); adj[b].Add(a);
            if (++used == m - 1) break;
        }
        if (used != m - 1) return null;
        var root = _rng.Next(m);
        var pre = new int[m]; var par = new int[m]; var tin = new int[m];
        var stack = new Stack<int>();
        stack.Push(root); par[root] = -1;
        var idx = 0;
        var visited = new bool[m]; visited[root] = true;
        while (stack.Count > 0)
        {
            var x = stack.Pop(); tin[x] = idx; pre[idx++] = x;
            foreach (var y in adj[x]) if (!visited[y]) { visited[y] = true; par[y] = x; stack.Push(y); }
        }
        var size = new int[m]; var sw = new double[m];
        for (var i = m - 1; i >= 0; i--)
        {
            var x = pre[i]; size[x]++; sw[x] += _g.W[nodes[x]];
            if (par[x] >= 0) { size[par[x]] += size[x]; sw[par[x]] += sw[x]; }
        }
        var (lo1, hi1) = Band(r.Weight, k1, k2);
        var (lo2, hi2) = Band(r.Weight, k2, k1);
        var cands = new List<(int V, int K)>();
        for (var x = 0; x < m; x++)
        {
            if (x == root) continue;
            if (sw[x] >= lo1 - Eps && sw[x] <= hi1 + Eps) cands.Add((x, k1));
            else if (k1 != k2 && sw[x] >= lo2 - Eps && sw[x] <= hi2 + Eps) cands.Add((x, k2));
        }
        if (cands.Count == 0) return null;
        Split? best = null;
        for (var t = 0; t < Math.Min(6, cands.Count); t++)
        {
            var pick = cands.Count <= 6 ? cands[t] : cands[_rng.Next(cands.Count)];
            int from = tin[pick.V], to = tin[pick.V] + size[pick.V];
            double a1 = 0, p1 = 0, cutLen = 0; var cutCnt = 0;
            var part = new int[to - from];
            for (var i = from; i < to; i++)
            {
                var u = nodes[pre[i]];
                part[i - from] = u;
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
            if (best is null || score > best.Value.Score) best = new Split(part, pick.K, score, true, 0);
        }
        return best;
    }

    // ---------------------------------------------------------------- seed

    /// <summary>Recursive bisection into K cells.</summary>
    public void Seed(int sweeps, int trees)
    {
        var cell = new int[_g.N];
        var work = new Stack<(List<int> Nodes, int K, int First)>();
        work.Push((Enumerable.Range(0, _g.N).ToList(), _k, 0));
        while (work.Count > 0)
        {
            var (nodes, k, first) = work.Pop();
            if (k == 1 || nodes.Count <= 1) { foreach (var u in nodes) cell[u] = first; continue; }
            int k1 = k / 2, k2 = k - k1;
            var big = nodes.Count > 20_000;
            // Straight cuts only: a disc grown around a random unit makes a poor part for several cells.
            var split = Bisect(nodes, k1, k2, big ? 4 : sweeps, nodes.Count > 5000 ? 0 : trees, radial: false);
            // An unbalanced split here costs far more to repair later than a few more tries now.
            for (var retry = 0; !split.Feasible && retry < 3 && nodes.Count <= 20_000; retry++)
                split = Bisect(nodes, k1, k2, 16 << retry, 8 << retry, radial: retry > 0);
            var part = split.Part;
            if (part.Length == 0 || part.Length >= nodes.Count)
            {
                // No way to split through adjacency (a disconnected region): cut the ordered list instead;
                // contiguity repair takes over.
                part = nodes.OrderBy(u => _g.X[u]).Take(Math.Max(1, nodes.Count * k1 / k)).ToArray();
                split = split with { PartCells = k1 };
            }
            _gen++;
            foreach (var u in part) _mark[u] = _gen;
            var rest = nodes.Where(u => _mark[u] != _gen).ToList();
            var kPart = split.PartCells;
            var kRest = k - kPart;
            work.Push((part.ToList(), kPart, first));
            work.Push((rest, kRest, first + kPart));
        }
        Load(cell);
        FixContiguity();
    }

    /// <summary>
    /// A cheap start for very large instances: recursive coordinate bisection by weight (cut across the longer
    /// side of each part's bounding box, K split in proportion), ignoring adjacency. It only supplies the
    /// starting centres of <see cref="SeedPowerDiagram"/>, which then restores contiguity; on 100,000 units it
    /// takes a fraction of a second where bisection through the adjacency takes several.
    /// </summary>
    public void SeedGeometric()
    {
        var cell = new int[_g.N];
        var work = new Stack<(int[] Nodes, int K, int First)>();
        work.Push((Enumerable.Range(0, _g.N).ToArray(), _k, 0));
        while (work.Count > 0)
        {
            var (nodes, k, first) = work.Pop();
            if (k == 1 || nodes.Length <= 1) { foreach (var u in nodes) cell[u] = first; continue; }
            int k1 = k / 2, k2 = k - k1;
            double minX = double.PositiveInfinity, maxX = double.NegativeInfinity, minY = double.PositiveInfinity, maxY = double.NegativeInfinity, w = 0;
            foreach (var u in nodes)
            {
                minX = Math.Min(minX, _g.X[u]); maxX = Math.Max(maxX, _g.X[u]);
                minY = Math.Min(minY, _g.Y[u]); maxY = Math.Max(maxY, _g.Y[u]);
                w += _g.W[u];
            }
            // Across the longer side, turned by up to ±30° at random so that each seed starts differently.
            var theta = (maxX - minX >= maxY - minY ? 0 : Math.PI / 2) + (_rng.NextDouble() - 0.5) * Math.PI / 3;
            double cx = Math.Cos(theta), cy = Math.Sin(theta);
            var keys = nodes.Select(u => _g.X[u] * cx + _g.Y[u] * cy).ToArray();
            Array.Sort(keys, nodes);
            var goal = w * k1 / k;
            var acc = 0.0; var cut = 0;
            while (cut < nodes.Length - 1 && acc + _g.W[nodes[cut]] / 2 < goal) acc += _g.W[nodes[cut++]];
            cut = Math.Clamp(cut, 1, nodes.Length - 1);
            work.Push((nodes[..cut], k1, first));
            work.Push((nodes[cut..], k2, first + k1));
        }
        Load(cell);
    }

    /// <summary>
    /// Balanced power-diagram seed (capacitated clustering): unit u goes to the centre minimising
    /// |x_u − c_i|² − ψ_i; ψ rises for light cells and falls for heavy ones until the weights balance,
    /// and centres move to their cells' centroids (Lloyd steps). Power-diagram cells are convex, so the
    /// result is close to a centroidal tessellation — the most compact shapes — before contiguity repair.
    /// Starts from the current plan (its centroids, and its cells as the first candidates).
    /// </summary>
    public void SeedPowerDiagram(int outer, int inner)
    {
        var cx = new double[_k]; var cy = new double[_k]; var psi = new double[_k];
        double totalArea = 0;
        for (var c = 0; c < _k; c++)
        {
            double sx = 0, sy = 0, sa = 0;
            foreach (var u in _members[c]) { var a = Math.Max(_g.A[u], 1e-9); sx += _g.X[u] * a; sy += _g.Y[u] * a; sa += a; }
            cx[c] = sx / sa; cy[c] = sy / sa; totalArea += sa;
        }
        var scale = totalArea / _k;
        var target = _g.TotalWeight / _k;
        var assign = new int[_g.N];
        var w = new double[_k];
        Array.Copy(Cell, assign, _g.N);
        var cand = new List<int>[_k];
        for (var it = 0; it < outer; it++)
        {
            // Candidate centres of a unit: its cell and the cells next to it (a power diagram moves little
            // per step), which keeps a step O(n·degree) instead of O(n·K).
            var adj = new HashSet<int>[_k];
            for (var c = 0; c < _k; c++) adj[c] = [c];
            for (var u = 0; u < _g.N; u++)
                for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                    if (assign[_g.Nbr[e]] != assign[u]) adj[assign[u]].Add(assign[_g.Nbr[e]]);
            for (var c = 0; c < _k; c++)
            {
                var set = new HashSet<int>(adj[c]);
                foreach (var d in adj[c]) set.UnionWith(adj[d]);
                cand[c] = set.Order().ToList();
            }
            var from = (int[])assign.Clone();
            for (var step = 0; step < inner; step++)
            {
                Array.Clear(w);
                for (var u = 0; u < _g.N; u++)
                {
                    var best = from[u]; var bestD = double.PositiveInfinity;
                    double x = _g.X[u], y = _g.Y[u];
                    foreach (var c in cand[from[u]])
                    {
                        var d = (x - cx[c]) * (x - cx[c]) + (y - cy[c]) * (y - cy[c]) - psi[c];
                        if (d < bestD) { bestD = d; best = c; }
                    }
                    assign[u] = best; w[best] += _g.W[u];
                }
                var eta = 0.3 * scale;
                for (var c = 0; c < _k; c++) psi[c] -= eta * (w[c] - target) / target;
            }
            if (it == outer - 1) break;
            var sx = new double[_k]; var sy = new double[_k]; var sa = new double[_k];
            for (var u = 0; u < _g.N; u++) { var a = Math.Max(_g.A[u], 1e-9); sx[assign[u]] += _g.X[u] * a; sy[assign[u]] += _g.Y[u] * a; sa[assign[u]] += a; }
            for (var c = 0; c < _k; c++) if (sa[c] > 0) { cx[c] = sx[c] / sa[c]; cy[c] = sy[c] / sa[c]; }
        }
        // Every cell needs at least one unit: give an empty cell the unit nearest its centre.
        var counts = new int[_k];
        foreach (var c in assign) counts[c]++;
        for (var c = 0; c < _k; c++)
        {
            if (counts[c] > 0) continue;
            var best = -1; var bestD = double.PositiveInfinity;
            for (var u = 0; u < _g.N; u++)
            {
                if (counts[assign[u]] <= 1) continue;
                var d = (_g.X[u] - cx[c]) * (_g.X[u] - cx[c]) + (_g.Y[u] - cy[c]) * (_g.Y[u] - cy[c]);
                if (d < bestD) { bestD = d; best = u; }
            }
            if (best < 0) return;
            counts[assign[best]]--; assign[best] = c; counts[c]++;
        }
        Load(assign);
        FixContiguity();
    }

    // ---------------------------------------------------------------- improvement

    private (int A, int B) RandomAdjacentPair()
    {
        for (var tries = 0; tries < 64; tries++)
        {
            var u = _rng.Next(_g.N);
            var deg = _g.Off[u + 1] - _g.Off[u];
            if (deg == 0) continue;
            var s = _rng.Next(deg);
            for (var j = 0; j < deg; j++)
            {
                var e = _g.Off[u] + (s + j) % deg;
                if (_g.Conn[e] && Cell[_g.Nbr[e]] != Cell[u]) return (Cell[u], Cell[_g.Nbr[e]]);
            }
        }
        for (var u = 0; u < _g.N; u++)
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && Cell[_g.Nbr[e]] != Cell[u]) return (Cell[u], Cell[_g.Nbr[e]]);
        return (-1, -1);
    }

    private int CutBetween(int a, int b)
    {
        var n = 0;
        foreach (var u in _members[a])
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && Cell[_g.Nbr[e]] == b) n++;
        return n;
    }

    /// <summary>Applies a split of cells a ∪ b, giving the part to whichever cell keeps more of its units.</summary>
    private void ApplySplit(int a, int b, int[] part)
    {
        var overlapA = part.Count(u => Cell[u] == a);
        var overlapB = part.Length - overlapA;
        var (toPart, toRest) = overlapA >= overlapB ? (a, b) : (b, a);
        _gen++;
        foreach (var u in part) _mark[u] = _gen;
        var region = _members[a].Concat(_members[b]).ToList();
        foreach (var u in region)
        {
            var target = _mark[u] == _gen ? toPart : toRest;
            if (Cell[u] != target) Move(u, target);
        }
    }

    /// <summary>Merge-and-resplit of adjacent cell pairs; returns the number of improvements.</summary>
    public int Recombine(int iterations, int sweeps, int trees, Func<bool> stop, double temperature = 0)
    {
        if (_k < 2) return 0;
        var improved = 0;
        // Annealing (compactness only, temperature > 0): a worse re-split of a pair is sometimes kept to leave
        // local optima; the best plan seen is restored at the end.
        var anneal = temperature > 0 && !_cutObjective;
        var bestScore = anneal ? Score() : 0;
        var current = bestScore;
        var bestCell = anneal ? (int[])Cell.Clone() : null;
        for (var it = 0; it < iterations; it++)
        {
            if ((it & 15) == 0 && stop()) break;
            var (a, b) = RandomAdjacentPair();
            if (a < 0) break;
            var region = _members[a].Concat(_members[b]).ToList();
            var pairScore = _cutObjective ? -CutBetween(a, b) + TieWeight * (Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b])) : Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]);
            var balanced = Violation(_cw[a]) + Violation(_cw[b]) <= Eps;
            var split = Bisect(region, 1, 1, sweeps, trees);
            if (split.Part.Length == 0) continue;
            var t = anneal ? temperature * (1 - (double)it / iterations) : 0;
            var accept = split.Feasible && (!balanced || split.Score > pairScore + 1e-12
                || (_cutObjective && Math.Round(split.Score) >= Math.Round(pairScore) && _rng.Next(3) == 0)
                || (anneal && t > 0 && _rng.NextDouble() < Math.Exp((split.Score - pairScore) / t)));
            if (accept)
            {
                ApplySplit(a, b, split.Part);
                improved++;
                if (anneal)
                {
                    current += Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]) - pairScore;
                    if (current > bestScore + 1e-12 && IsBalanced()) { bestScore = current; Array.Copy(Cell, bestCell!, Cell.Length); }
                }
            }
            else if (!split.Feasible && !balanced)
            {
                // Not balanceable in one step: move the pair toward equal weight so the excess diffuses.
                var before = Violation(_cw[a]) + Violation(_cw[b]);
                var wPart = split.Part.Sum(u => _g.W[u]);
                var total = _cw[a] + _cw[b];
                if (Violation(wPart) + Violation(total - wPart) < before - Eps || Math.Abs(_cw[a] - _cw[b]) > Math.Abs(2 * wPart - total) + Eps)
                {
                    ApplySplit(a, b, split.Part);
                    if (anneal) current = Score();
                }
            }
        }
        if (anneal && bestScore > Score() + 1e-12) Load(bestCell!);
        return improved;
    }

    /// <summary>Single-unit moves across cell borders that keep contiguity and bounds and improve the
    /// objective (or, while unbalanced, reduce the bound violation). Returns moves made.</summary>
    public int MovePass(bool balanceOnly = false)
    {
        int[] order;
        if (balanceOnly)
        {
            // Only units in or next to a cell out of bounds can reduce the violation: on 100,000 units a
            // full sweep per move would dominate the repair.
            var near = new HashSet<int>();
            for (var c = 0; c < _k; c++)
            {
                if (Violation(_cw[c]) <= Eps) continue;
                foreach (var u in _members[c])
                {
                    near.Add(u);
                    for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++) near.Add(_g.Nbr[e]);
                }
            }
            order = near.Order().ToArray();
        }
        else order = Enumerable.Range(0, _g.N).ToArray();
        _rng.Shuffle(order);
        var moves = 0;
        var cand = new List<int>(8);
        foreach (var u in order)
        {
            var a = Cell[u];
            if (_cn[a] <= 1) continue;
            NeighbourCells(u, a, cand);
            if (cand.Count == 0) continue;
            var wu = _g.W[u];
            var bestB = -1; var bestGain = 1e-12; var bestV = 0.0;
            foreach (var b in cand)
            {
                var dv = Violation(_cw[a] - wu) + Violation(_cw[b] + wu) - Violation(_cw[a]) - Violation(_cw[b]);
                if (balanceOnly)
                {
                    if (dv < -Eps && (bestB < 0 || dv < bestV)) { bestB = b; bestV = dv; }
                    continue;
                }
                if (dv > Eps) continue;
                if (_cw[a] - wu < _lo - Eps && Violation(_cw[a]) <= Eps) continue;
                if (_cw[b] + wu > _hi + Eps && Violation(_cw[b]) <= Eps) continue;
                var gain = Gain(u, a, b) - dv * 1e3;
                if (gain > bestGain) { bestGain = gain; bestB = b; }
            }
            if (bestB >= 0 && CanRemove(u)) { Move(u, bestB); moves++; }
        }
        return moves;
    }

    /// <summary>
    /// Paired moves across one border: u leaves cell A for B and some v of B leaves for A, so that both cells
    /// stay within bounds although neither move alone would (with ±2% and 30–60 units per cell almost no
    /// single unit fits the slack). Kept when the two together improve the objective. Returns swaps made.
    /// </summary>
    public int SwapPass()
    {
        var order = Enumerable.Range(0, _g.N).ToArray();
        _rng.Shuffle(order);
        var swaps = 0;
        var cand = new List<int>(8);
        foreach (var u in order)
        {
            var a = Cell[u];
            if (_cn[a] <= 2) continue;
            NeighbourCells(u, a, cand);
            if (cand.Count == 0) continue;
            var wu = _g.W[u];
            foreach (var b in cand)
            {
                if (_cn[b] <= 1) continue;
                // Only pairs where u alone would break a bound: single moves already took the rest.
                if (_cw[a] - wu >= _lo - Eps && _cw[b] + wu <= _hi + Eps) continue;
                var gainU = Gain(u, a, b);
                if (gainU < -0.05 && !_cutObjective) continue;
                if (!CanRemove(u)) break;
                Move(u, b);
                var bestV = -1; var bestGain = 1e-12 - gainU;
                var needLo = Math.Max(_lo - _cw[a], _cw[b] - _hi);   // v's weight must lie in [needLo, needHi]
                var needHi = Math.Min(_hi - _cw[a], _cw[b] - _lo);
                if (needLo <= needHi + Eps)
                {
                    foreach (var v in _members[b])
                    {
                        if (v == u) continue;
                        var wv = _g.W[v];
                        if (wv < needLo - Eps || wv > needHi + Eps) continue;
                        var touchesA = false;
                        for (var e = _g.Off[v]; e < _g.Off[v + 1] && !touchesA; e++) touchesA = _g.Conn[e] && Cell[_g.Nbr[e]] == a;
                        if (!touchesA) continue;
                        var gv = Gain(v, b, a);
                        if (gv > bestGain && CanRemove(v)) { bestGain = gv; bestV = v; }
                    }
                }
                if (bestV >= 0) { Move(bestV, a); swaps++; break; }
                Move(u, a);
            }
        }
        return swaps;
    }

    /// <summary>Fills <paramref name="cells"/> with the distinct cells other than <paramref name="own"/> that unit u
    /// borders through a connecting edge (the cells a single move or swap of u may go to).</summary>
    private void NeighbourCells(int u, int own, List<int> cells)
    {
        cells.Clear();
        for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
        {
            var c = Cell[_g.Nbr[e]];
            if (_g.Conn[e] && c != own && !cells.Contains(c)) cells.Add(c);
        }
    }

    private double Gain(int u, int a, int b)
    {
        double sa = 0, sb = 0; int ca = 0, cb = 0;
        for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
        {
            var c = Cell[_g.Nbr[e]];
            if (c == a) { sa += _g.Len[e]; if (_g.Conn[e]) ca++; }
            else if (c == b) { sb += _g.Len[e]; if (_g.Conn[e]) cb++; }
        }
        var before = Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]);
        var after = Pp(_ca[a] - _g.A[u], _cp[a] - _g.P[u] + 2 * sa) + Pp(_ca[b] + _g.A[u], _cp[b] + _g.P[u] - 2 * sb);
        return _cutObjective ? cb - ca + TieWeight * (after - before) : after - before;
    }

    /// <summary>
    /// Ejection chains: an overweight cell hands a border unit to the neighbour one step closer to a cell with
    /// room, which passes on about as much, and so on until a cell ends within bounds (the mirror image pulls
    /// weight toward an underweight cell). Distances to the nearest cell with room (or surplus) come from a
    /// breadth-first search over the cell adjacency; each hand-over keeps both cells contiguous, every cell
    /// passed through ends within bounds, and a chain that gets stuck is undone. This moves weight across many
    /// cells where single moves and pair re-splits cannot (thousands of cells at ±5%, units up to 9% of a cell).
    /// Returns the number of cells brought within bounds.
    /// </summary>
    public int ChainRepair(int rounds, Func<bool> stop)
    {
        var fixedCells = 0;
        var cellNbrs = new HashSet<int>[_k];
        var dist = new int[_k];
        var queue = new Queue<int>();
        var moves = new List<(int U, int From)>();
        var cand = new List<int>(8);
        int failed = 0, unreachable = 0;
        for (var round = 0; round < rounds && !IsBalanced() && !stop(); round++)
        {
            for (var c = 0; c < _k; c++) cellNbrs[c] = [];
            for (var u = 0; u < _g.N; u++)
                for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                    if (_g.Conn[e] && Cell[_g.Nbr[e]] != Cell[u]) cellNbrs[Cell[u]].Add(Cell[_g.Nbr[e]]);
            var progress = false;
            foreach (var over in new[] { true, false })
            {
                // Sinks: cells that can take (over) or give (under) at least a typical unit and stay within bounds.
                var typical = _g.N > 0 ? _cw.Sum() / _g.N : 0;
                Array.Fill(dist, int.MaxValue);
                queue.Clear();
                for (var c = 0; c < _k; c++)
                {
                    var room = over ? _hi - _cw[c] : _cw[c] - _lo;
                    if (Violation(_cw[c]) <= Eps && room >= typical) { dist[c] = 0; queue.Enqueue(c); }
                }
                while (queue.Count > 0)
                {
                    var c = queue.Dequeue();
                    foreach (var d in cellNbrs[c]) if (dist[d] == int.MaxValue) { dist[d] = dist[c] + 1; queue.Enqueue(d); }
                }
                var violating = Enumerable.Range(0, _k).Where(c => over ? _cw[c] > _hi + Eps : _cw[c] < _lo - Eps).ToList();
                _rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(violating));
                foreach (var a in violating)
                {
                    if (stop()) return fixedCells;
                    for (var attempt = 0; attempt < 4 && Violation(_cw[a]) > Eps; attempt++)
                    {
                        if (dist[a] == int.MaxValue) { unreachable++; break; }
                        var before = TotalViolation();
                        moves.Clear();
                        var ok = over ? Push(a) : Pull(a);
                        if (ok && TotalViolation() < before - Eps) { progress = true; continue; }
                        for (var i = moves.Count - 1; i >= 0; i--) Move(moves[i].U, moves[i].From);
                        failed++;
                        break;
                    }
                    if (Violation(_cw[a]) <= Eps) fixedCells++;
                }
            }
            if (Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_TRACE") is not null)
                Console.Error.WriteLine($"    chain round {round}: violation {TotalViolation():0}, cells out of bounds {Enumerable.Range(0, _k).Count(c => Violation(_cw[c]) > Eps)}, fixed {fixedCells}, chains undone {failed}, no sink reachable {unreachable}");
            if (!progress) break;
        }
        return fixedCells;

        // Over: cell c gives a unit to a neighbour no farther from room, until the receiving cell is within bounds.
        bool Push(int c)
        {
            _gen++;
            _cellMark[c] = _gen;
            for (var hop = 0; hop <= _k; hop++)
            {
                if (_cw[c] <= _hi + Eps) return true;
                var (u, to) = PickHandOver(c, giving: true);
                if (u < 0) return false;
                moves.Add((u, c)); Move(u, to);
                c = to; _cellMark[c] = _gen;
            }
            return false;
        }

        // Under: cell c takes a unit from a neighbour no farther from surplus, until the giving cell is within bounds.
        bool Pull(int c)
        {
            _gen++;
            _cellMark[c] = _gen;
            for (var hop = 0; hop <= _k; hop++)
            {
                if (_cw[c] >= _lo - Eps) return true;
                var (u, from) = PickHandOver(c, giving: false);
                if (u < 0) return false;
                moves.Add((u, from)); Move(u, c);
                c = from; _cellMark[c] = _gen;
            }
            return false;
        }

        // The unit to hand over between c and a neighbour not yet in this chain and no farther from a sink (a step
        // sideways costs more than a step closer). It must keep the giving cell contiguous and must bring c within
        // bounds if any unit can (then the lightest such unit: the chain carries as little as possible), else as
        // close as it can; among equals the most compact.
        (int Unit, int Other) PickHandOver(int c, bool giving)
        {
            var bestU = -1; var bestOther = -1; var bestScore = double.PositiveInfinity;
            if (giving)
            {
                foreach (var u in _members[c])
                {
                    NeighbourCells(u, c, cand);
                    foreach (var d in cand)
                        if (dist[d] <= dist[c] && _cellMark[d] != _gen) Consider(u, c, d, d, _cw[c] - _g.W[u]);
                }
            }
            else
            {
                foreach (var d in cellNbrs[c])
                {
                    if (dist[d] > dist[c] || _cellMark[d] == _gen) continue;
                    foreach (var u in _members[d])
                    {
                        var touches = false;
                        for (var e = _g.Off[u]; e < _g.Off[u + 1] && !touches; e++) touches = _g.Conn[e] && Cell[_g.Nbr[e]] == c;
                        if (touches) Consider(u, d, c, d, _cw[c] + _g.W[u]);
                    }
                }
            }
            return (bestU, bestOther);

            void Consider(int u, int from, int to, int other, double cAfter)
            {
                // c must improve, and never cross to the other side of the bounds.
                if (Violation(cAfter) >= Violation(_cw[c]) - Eps) return;
                if (giving ? cAfter < _lo - Eps : cAfter > _hi + Eps) return;
                var w = _g.W[u] / (_hi - _lo + Eps);
                var score = (Violation(cAfter) > Eps ? 10 - w : w) + (dist[other] < dist[c] ? 0 : 1) - 0.1 * Gain(u, from, to);
                if (score >= bestScore || !CanRemove(u)) return;
                bestScore = score; bestU = u; bestOther = other;
            }
        }
    }


    /// <summary>Brings an unbalanced plan within bounds: balance moves, then re-splits of each violating
    /// cell with each neighbour (feasible if possible, else toward the neighbour with most slack).</summary>
    public void Repair(int rounds, Func<bool> stop)
    {
        for (var r = 0; r < rounds && !IsBalanced() && !stop(); r++)
        {
            while (MovePass(balanceOnly: true) > 0 && !IsBalanced()) { }
            if (IsBalanced()) break;
            ChainRepair(8, stop);
            if (IsBalanced()) break;
            var violating = Enumerable.Range(0, _k).Where(c => Violation(_cw[c]) > Eps).ToList();
            _rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(violating));
            foreach (var a in violating)
            {
                if (Violation(_cw[a]) <= Eps) continue;
                if (stop()) return;
                var neighbours = new HashSet<int>();
                foreach (var u in _members[a])
                    for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                        if (_g.Conn[e] && Cell[_g.Nbr[e]] != a) neighbours.Add(Cell[_g.Nbr[e]]);
                var ordered = neighbours.Order().ToList();
                _rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ordered));
                var done = false;
                int[]? bestPart = null; var bestB = -1; var bestGain = Eps;
                foreach (var b in ordered)
                {
                    var region = _members[a].Concat(_members[b]).ToList();
                    var split = Bisect(region, 1, 1, 8, 6);
                    if (split.Part.Length == 0) continue;
                    if (split.Feasible) { ApplySplit(a, b, split.Part); done = true; break; }
                    var wPart = split.Part.Sum(u => _g.W[u]);
                    var total = _cw[a] + _cw[b];
                    var gain = Violation(_cw[a]) + Violation(_cw[b]) - Violation(wPart) - Violation(total - wPart);
                    if (gain > bestGain) { bestGain = gain; bestPart = split.Part; bestB = b; }
                }
                if (!done && bestPart is not null) ApplySplit(a, bestB, bestPart);
            }
            if (!IsBalanced()) Recombine(Math.Min(Math.Max(20, 2 * _k), 400), 8, 4, stop);
        }
    }
}
