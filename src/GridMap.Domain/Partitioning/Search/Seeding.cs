using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GridMap.Domain.Partitioning.Search;

/// <summary>
/// The first plan of a start: recursive bisection through the adjacency (<see cref="Seed"/>); above 20,000 units,
/// cheap coordinate bisection (<see cref="SeedGeometric"/>) that only supplies centres; and the balanced power diagram
/// (<see cref="SeedPowerDiagram"/>) that redraws the cells around those centres as near-convex, near-balanced shapes.
/// Each ends with a plan in <see cref="PartitionState"/>, made contiguous where the method can break it.
/// </summary>
internal sealed class Seeding
{
    private readonly PartitionState _s;
    private readonly Bisection _bisection;
    private readonly SubProblem _g;
    private readonly int _k;
    private readonly Random _rng;
    private readonly int[] _mark;
    private int _gen;

    public Seeding(PartitionState state, Bisection bisection)
    {
        _s = state; _bisection = bisection;
        _g = state.G; _k = state.K; _rng = state.Rng;
        _mark = new int[_g.N];
    }

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
            var split = _bisection.Bisect(nodes, k1, k2, big ? 4 : sweeps, nodes.Count > 5000 ? 0 : trees, radial: false);
            // An unbalanced split here costs far more to repair later than a few more tries now.
            for (var retry = 0; !split.Feasible && retry < 3 && nodes.Count <= 20_000; retry++)
                split = _bisection.Bisect(nodes, k1, k2, 16 << retry, 8 << retry, radial: retry > 0);
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
        _s.Load(cell);
        _s.FixContiguity();
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
        _s.Load(cell);
    }

    /// <summary>
    /// Balanced power-diagram seed (capacitated clustering): unit u goes to the centre minimising
    /// |x_u − c_i|² − ψ_i; ψ rises for light cells and falls for heavy ones until the weights balance,
    /// and centres move to their cells' centroids (Lloyd steps). Power-diagram cells are convex, so the
    /// result is close to a centroidal tessellation — the most compact shapes — before contiguity repair.
    /// Starts from the current plan (its centroids, and its cells as the first candidates).
    /// </summary>
    public void SeedPowerDiagram(int outer, int inner, int workers = 1)
    {
        var cx = new double[_k]; var cy = new double[_k]; var psi = new double[_k];
        double totalArea = 0;
        for (var c = 0; c < _k; c++)
        {
            double sx = 0, sy = 0, sa = 0;
            foreach (var u in _s.Members[c]) { var a = Math.Max(_g.A[u], 1e-9); sx += _g.X[u] * a; sy += _g.Y[u] * a; sa += a; }
            cx[c] = sx / sa; cy[c] = sy / sa; totalArea += sa;
        }
        var scale = totalArea / _k;
        var target = _g.TotalWeight / _k;
        var assign = new int[_g.N];
        var w = new double[_k];
        Array.Copy(_s.Cell, assign, _g.N);
        // Candidate centres of a unit: its cell, the cells next to it and theirs (a power diagram moves little per step),
        // which keeps a step O(n·degree) instead of O(n·K). Per cell, in ascending order, as compressed rows; each cell's
        // row also holds the centres and ψ beside the ids, so the assignment reads them in sequence.
        var candOff = new int[_k + 1];
        var candId = Array.Empty<int>(); var candX = Array.Empty<double>(); var candY = Array.Empty<double>(); var candPsi = Array.Empty<double>();
        var byCell = new int[_g.N]; var cellStart = new int[_k + 1];
        var near = new List<int>[_k];
        for (var c = 0; c < _k; c++) near[c] = [];
        var rows = new List<int>[_k];
        for (var c = 0; c < _k; c++) rows[c] = [];
        for (var it = 0; it < outer; it++)
        {
            // The cells touching each cell (itself included), from its units' edges.
            Array.Clear(cellStart);
            foreach (var c in assign) cellStart[c + 1]++;
            for (var c = 0; c < _k; c++) cellStart[c + 1] += cellStart[c];
            var fill = (int[])cellStart.Clone();
            for (var u = 0; u < _g.N; u++) byCell[fill[assign[u]]++] = u;
            // Per cell on all cores (each worker with its own stamps): the lists depend only on the assignment.
            Parallel.For(0, _k, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, () => new Stamps(_k), (c, _, st) =>
            {
                var list = near[c];
                list.Clear();
                var gen = st.Next();
                st.Mark[c] = gen; list.Add(c);
                for (var i = cellStart[c]; i < cellStart[c + 1]; i++)
                {
                    var u = byCell[i];
                    for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                    {
                        var d = assign[_g.Nbr[e]];
                        if (st.Mark[d] != gen) { st.Mark[d] = gen; list.Add(d); }
                    }
                }
                return st;
            }, _ => { });
            // Each cell's candidates: those cells and their neighbours, ascending.
            Parallel.For(0, _k, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, () => new Stamps(_k), (c, _, st) =>
            {
                var row = rows[c];
                row.Clear();
                var gen = st.Next();
                foreach (var d in near[c])
                    foreach (var f in near[d])
                        if (st.Mark[f] != gen) { st.Mark[f] = gen; row.Add(f); }
                row.Sort();
                return st;
            }, _ => { });
            for (var c = 0; c < _k; c++) candOff[c + 1] = candOff[c] + rows[c].Count;
            var ids = new int[candOff[_k]];
            for (var c = 0; c < _k; c++) rows[c].CopyTo(ids, candOff[c]);
            candId = ids;
            candX = new double[candId.Length]; candY = new double[candId.Length]; candPsi = new double[candId.Length];
            for (var j = 0; j < candId.Length; j++) { candX[j] = cx[candId[j]]; candY[j] = cy[candId[j]]; }
            var from = (int[])assign.Clone();
            for (var step = 0; step < inner; step++)
            {
                Array.Clear(w);
                for (var j = 0; j < candId.Length; j++) candPsi[j] = psi[candId[j]];
                // Each unit's nearest centre depends only on the centres and ψ of this step: on large instances the
                // units are assigned on all cores, in chunks; the weights are summed afterwards in unit order (same sums).
                void Assign(int from0, int to0)
                {
                    var gx = _g.X; var gy = _g.Y;
                    for (var u = from0; u < to0; u++)
                        assign[u] = Nearest(gx[u], gy[u], candOff[from[u]], candOff[from[u] + 1], candX, candY, candPsi, candId, from[u]);
                }
                if (workers > 1)
                {
                    const int chunk = 4096;
                    Parallel.For(0, (_g.N + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = workers },
                        b => Assign(b * chunk, Math.Min(_g.N, (b + 1) * chunk)));
                }
                else Assign(0, _g.N);
                for (var u = 0; u < _g.N; u++) w[assign[u]] += _g.W[u];
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
        _s.Load(assign);
        _s.FixContiguity();
    }

    /// <summary>
    /// The candidate j in [start, end) with the least (x − X[j])² + (y − Y[j])² − Psi[j], the first of equals (Ids[j]; none:
    /// <paramref name="none"/>). Four candidates at a time where the processor can: each lane keeps its own first least,
    /// then the least of the lanes with the lowest j wins — the same arithmetic per candidate and the same winner as one
    /// pass in order.
    /// </summary>
    internal static int Nearest(double x, double y, int start, int end, double[] cx, double[] cy, double[] psi, int[] ids, int none)
    {
        var j = start;
        var best = none; var bestD = double.PositiveInfinity;
        if (Vector256.IsHardwareAccelerated && end - start >= 8)
        {
            var vx = Vector256.Create(x);
            var vy = Vector256.Create(y);
            var vBest = Vector256.Create(double.PositiveInfinity);
            var vAt = Vector256.Create(-1L);
            var vJ = Vector256.Create((long)j, j + 1, j + 2, j + 3);
            var four = Vector256.Create(4L);
            ref var rx = ref MemoryMarshal.GetArrayDataReference(cx);
            ref var ry = ref MemoryMarshal.GetArrayDataReference(cy);
            ref var rp = ref MemoryMarshal.GetArrayDataReference(psi);
            for (; j + 4 <= end; j += 4)
            {
                var dx = vx - Vector256.LoadUnsafe(ref rx, (nuint)j);
                var dy = vy - Vector256.LoadUnsafe(ref ry, (nuint)j);
                var d = dx * dx + dy * dy - Vector256.LoadUnsafe(ref rp, (nuint)j);
                var less = Vector256.LessThan(d, vBest);
                vBest = Vector256.ConditionalSelect(less, d, vBest);
                vAt = Vector256.ConditionalSelect(less.AsInt64(), vJ, vAt);
                vJ += four;
            }
            var at = -1L;
            for (var lane = 0; lane < 4; lane++)
            {
                var d = vBest.GetElement(lane); var a = vAt.GetElement(lane);
                if (a >= 0 && (d < bestD || (d == bestD && a < at))) { bestD = d; at = a; }
            }
            if (at >= 0) best = ids[at];
        }
        for (; j < end; j++)
        {
            var d = (x - cx[j]) * (x - cx[j]) + (y - cy[j]) * (y - cy[j]) - psi[j];
            if (d < bestD) { bestD = d; best = ids[j]; }
        }
        return best;
    }

    /// <summary>A worker's marks over the cells: a cell is marked in the current pass when its entry equals <see cref="Gen"/>.</summary>
    private sealed class Stamps(int k)
    {
        public readonly int[] Mark = new int[k];
        public int Gen;
        public int Next() => ++Gen;
    }
}
