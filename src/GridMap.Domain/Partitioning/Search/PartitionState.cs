using GridMap.Domain.Graphs;

namespace GridMap.Domain.Partitioning.Search;

/// <summary>
/// The state every stage of <see cref="PartitionSearch"/> works on: the cell of each unit of one <see cref="SubProblem"/>
/// (0 … K − 1), each cell's weight, area (m²), perimeter (m), unit count and member list, kept current by
/// <see cref="Move"/>; the objective; and contiguity — whether a unit can leave its cell without splitting it, and
/// the repair of cells that fell apart. Also the one seeded <see cref="Random"/> of a start, which all stages draw from
/// in a fixed order, so that a start is reproducible.
/// </summary>
internal sealed class PartitionState
{
    /// <summary>Rounding slack on weights and scores.</summary>
    internal const double Eps = 1e-9;
    /// <summary>Weight of compactness as a tie-breaker under the cut-edges objective: Σ of two PP values is
    /// below 2, so 0.1 × it never outweighs one cut edge.</summary>
    internal const double TieWeight = 0.1;

    public readonly SubProblem G;
    /// <summary>Number of cells, ≥ 1.</summary>
    public readonly int K;
    /// <summary>Cell weight bounds [Lo, Hi], in the units' weight (households).</summary>
    public readonly double Lo, Hi;
    public readonly bool CutObjective;
    public readonly Random Rng;

    /// <summary>Cell of each unit (−1 before the first <see cref="Load"/>).</summary>
    public readonly int[] Cell;
    /// <summary>Per cell: weight, area (m²), perimeter (m), unit count.</summary>
    public readonly double[] Cw, Ca, Cp;
    public readonly int[] Cn;
    /// <summary>Units of each cell, in no particular order (<see cref="Move"/> swaps the last into the gap) — but in a
    /// reproducible one: the stages iterate these lists, so their order is part of what a seed determines.</summary>
    public readonly List<int>[] Members;
    /// <summary>Per cell: the value of <see cref="Clock"/> when a unit last left or joined it, or its totals were reloaded.</summary>
    public readonly long[] Changed;
    /// <summary>Counts changes of the plan (every <see cref="Move"/>, every <see cref="Load"/>); <see cref="Changed"/> stamps come from it.</summary>
    public long Clock { get; private set; }
    private readonly int[] _pos;
    private readonly Connectivity _connectivity;
    private readonly List<int> _cellNeighbours = new(8);
    private readonly int[] _mark;
    private int _gen;

    public PartitionState(SubProblem g, int k, double lower, double upper, bool cutObjective, int seed)
    {
        G = g; K = k; Lo = lower; Hi = upper; CutObjective = cutObjective;
        Rng = new Random(seed);
        Cell = new int[g.N];
        Array.Fill(Cell, -1);
        Cw = new double[k]; Ca = new double[k]; Cp = new double[k]; Cn = new int[k];
        Members = new List<int>[k];
        for (var c = 0; c < k; c++) Members[c] = [];
        Changed = new long[k];
        _pos = new int[g.N];
        _mark = new int[g.N];
        _connectivity = new Connectivity(g.Off, g.Nbr);
    }

    /// <summary>The contiguity helper over this sub-problem's adjacency; <see cref="Bisection"/> shares it.</summary>
    public Connectivity Connectivity => _connectivity;

    public static double Pp(double a, double p) => p > 0 ? 4 * Math.PI * a / (p * p) : 0;

    // ---------------------------------------------------------------- state

    /// <summary>Loads an assignment (every unit 0..K−1) and recomputes the cell totals.</summary>
    public void Load(int[] cell)
    {
        Array.Clear(Cw); Array.Clear(Ca); Array.Clear(Cp); Array.Clear(Cn);
        Array.Fill(Changed, ++Clock);
        foreach (var m in Members) m.Clear();
        for (var u = 0; u < G.N; u++)
        {
            var c = cell[u];
            Cell[u] = c;
            _pos[u] = Members[c].Count; Members[c].Add(u);
            Cw[c] += G.W[u]; Ca[c] += G.A[u]; Cp[c] += G.P[u]; Cn[c]++;
        }
        for (var u = 0; u < G.N; u++)
            for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
                if (Cell[G.Nbr[e]] == Cell[u]) Cp[Cell[u]] -= G.Len[e];
    }

    /// <summary>Moves unit <paramref name="u"/> to cell <paramref name="b"/>, updating the totals incrementally.</summary>
    public void Move(int u, int b)
    {
        var a = Cell[u];
        if (_touched is not null) Touch(u, a);
        double sa = 0, sb = 0;
        for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
        {
            var c = Cell[G.Nbr[e]];
            if (c == a) sa += G.Len[e]; else if (c == b) sb += G.Len[e];
        }
        Cp[a] -= G.P[u] - 2 * sa; Cp[b] += G.P[u] - 2 * sb;
        Cw[a] -= G.W[u]; Cw[b] += G.W[u];
        Ca[a] -= G.A[u]; Ca[b] += G.A[u];
        Cn[a]--; Cn[b]++;
        var list = Members[a];
        var last = list[^1];
        list[_pos[u]] = last; _pos[last] = _pos[u]; list.RemoveAt(list.Count - 1);
        _pos[u] = Members[b].Count; Members[b].Add(u);
        Cell[u] = b;
        Changed[a] = Changed[b] = ++Clock;
        if (_touched is not null) TouchCell(b);
    }

    /// <summary>What <see cref="TryMove"/> changed, for <see cref="Undo"/>.</summary>
    public readonly record struct MoveUndo(int U, int A, int B, int Pos, double CwA, double CwB, double CaA, double CaB, double CpA, double CpB,
        long ChangedA, long ChangedB);

    /// <summary><see cref="Move"/>, remembering what it changes so that <see cref="Undo"/> can put back the state exactly.</summary>
    public MoveUndo TryMove(int u, int b)
    {
        var a = Cell[u];
        var undo = new MoveUndo(u, a, b, _pos[u], Cw[a], Cw[b], Ca[a], Ca[b], Cp[a], Cp[b], Changed[a], Changed[b]);
        Move(u, b);
        return undo;
    }

    /// <summary>
    /// Undoes the <see cref="TryMove"/> made just before (nothing moved since): the unit back at its place in its cell's
    /// member list, the two cells' totals and change stamps as they were, to the bit. Moving back with <see cref="Move"/>
    /// leaves the totals a rounding off, the list reordered and both cells stamped changed — so every pass after it
    /// re-examined the units around a swap that was tried and given up, for nothing.
    /// </summary>
    public void Undo(in MoveUndo m)
    {
        var inB = Members[m.B];
        inB.RemoveAt(inB.Count - 1); // Move appended it
        var inA = Members[m.A];
        if (m.Pos == inA.Count) inA.Add(m.U); // it was the last: nothing took its place
        else
        {
            var moved = inA[m.Pos];
            _pos[moved] = inA.Count; inA.Add(moved);
            inA[m.Pos] = m.U;
        }
        _pos[m.U] = m.Pos;
        Cell[m.U] = m.A;
        Cw[m.A] = m.CwA; Cw[m.B] = m.CwB; Ca[m.A] = m.CaA; Ca[m.B] = m.CaB; Cp[m.A] = m.CpA; Cp[m.B] = m.CpB;
        Cn[m.A]++; Cn[m.B]--;
        Changed[m.A] = m.ChangedA; Changed[m.B] = m.ChangedB;
    }

    // ---------------------------------------------------------------- passes that skip what has not changed

    // While a pass watches (BeginPass … EndPass): per unit, whether it was unchanged around at the start of the pass, and
    // whether anything around it changed since; per cell, the pass in which its members were last marked.
    private bool[]? _cleanAtStart, _touched;
    private int[]? _cellTouched;
    private int _pass;

    /// <summary>
    /// Starts a pass over the units that asks <see cref="UnchangedInPass"/> instead of <see cref="UnchangedAround"/>:
    /// the same answers, but each unit's neighbourhood is read once, on all cores, at the start (a pass visits 100,000
    /// units in random order, and reading every neighbour's cell stamp at each visit cost more than the few moves a late
    /// pass makes). <paramref name="seen"/>: the stamp each unit was last looked at with.
    /// </summary>
    public void BeginPass(long[] seen)
    {
        _cleanAtStart ??= new bool[G.N];
        _touched ??= new bool[G.N];
        _cellTouched ??= new int[K];
        var clean = _cleanAtStart;
        const int block = 8192;
        void Look(int b) { for (int u = b * block, end = Math.Min(G.N, (b + 1) * block); u < end; u++) clean[u] = UnchangedAround(u, seen[u]); }
        var blocks = (G.N + block - 1) / block;
        if (blocks > 2) Parallel.For(0, blocks, Look);
        else for (var b = 0; b < blocks; b++) Look(b);
        Array.Clear(_touched);
        _pass++;
    }

    /// <summary>Ends the pass started by <see cref="BeginPass"/>.</summary>
    public void EndPass() => _touched = null;

    /// <summary>
    /// <see cref="UnchangedAround"/>(u, seen) during a pass. A unit unchanged around at the start whose neighbourhood no
    /// move has touched since is still unchanged: every move marks the unit moved and its neighbours, and the first change of
    /// a cell in the pass marks its members and their neighbours (the cell it leaves before, the cell it joins after the
    /// move) — so whenever a cell around u has a newer stamp, whichever unit put it in u's neighbourhood or changed it marked
    /// u. A marked unit gets the full test.
    /// </summary>
    public bool UnchangedInPass(int u, long seen) => _cleanAtStart![u] && !_touched![u] || (_touched![u] && UnchangedAround(u, seen));

    private void Touch(int u, int a)
    {
        var touched = _touched!;
        touched[u] = true;
        for (var e = G.Off[u]; e < G.Off[u + 1]; e++) touched[G.Nbr[e]] = true;
        TouchCell(a);
    }

    private void TouchCell(int c)
    {
        if (_cellTouched![c] == _pass) return;
        _cellTouched[c] = _pass;
        var touched = _touched!;
        foreach (var m in Members[c])
        {
            touched[m] = true;
            for (var e = G.Off[m]; e < G.Off[m + 1]; e++) touched[G.Nbr[e]] = true;
        }
    }

    /// <summary>True when neither unit u's cell nor the cell of any of its neighbours (through any edge) has changed since
    /// <paramref name="seen"/> (a <see cref="Clock"/> value; negative: never) — then everything a move or swap of u looks at
    /// (the cells' totals and members, u's edges to them) is as it was.</summary>
    public bool UnchangedAround(int u, long seen)
    {
        if (seen < 0 || Changed[Cell[u]] > seen) return false;
        for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
            if (Changed[Cell[G.Nbr[e]]] > seen) return false;
        return true;
    }

    /// <summary>How far weight <paramref name="w"/> lies outside [Lo, Hi] (0 inside).</summary>
    public double Violation(double w) => w > Hi ? w - Hi : w < Lo ? Lo - w : 0;
    public double TotalViolation() { double v = 0; for (var c = 0; c < K; c++) v += Violation(Cw[c]); return v; }
    public bool IsBalanced() => TotalViolation() <= Eps * Math.Max(1, Hi);

    /// <summary>Objective, larger is better: Σ PP, or −(cut edges).</summary>
    public double Score()
    {
        if (!CutObjective) { double s = 0; for (var c = 0; c < K; c++) s += Pp(Ca[c], Cp[c]); return s; }
        var cut = 0;
        for (var u = 0; u < G.N; u++)
            for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
                if (G.Conn[e] && G.Nbr[e] > u && Cell[G.Nbr[e]] != Cell[u]) cut++;
        return -cut + TieWeight * MeanPp();
    }

    public double MeanPp() { double s = 0; for (var c = 0; c < K; c++) s += Pp(Ca[c], Cp[c]); return s / K; }

    /// <summary>Change of the objective if unit u moves from cell a to cell b (positive = better).</summary>
    public double Gain(int u, int a, int b)
    {
        double sa = 0, sb = 0; int ca = 0, cb = 0;
        for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
        {
            var c = Cell[G.Nbr[e]];
            if (c == a) { sa += G.Len[e]; if (G.Conn[e]) ca++; }
            else if (c == b) { sb += G.Len[e]; if (G.Conn[e]) cb++; }
        }
        var before = Pp(Ca[a], Cp[a]) + Pp(Ca[b], Cp[b]);
        var after = Pp(Ca[a] - G.A[u], Cp[a] - G.P[u] + 2 * sa) + Pp(Ca[b] + G.A[u], Cp[b] + G.P[u] - 2 * sb);
        return CutObjective ? cb - ca + TieWeight * (after - before) : after - before;
    }

    /// <summary>Fills <paramref name="cells"/> with the distinct cells other than <paramref name="own"/> that unit u
    /// borders through a connecting edge (the cells a single move or swap of u may go to).</summary>
    public void NeighbourCells(int u, int own, List<int> cells)
    {
        cells.Clear();
        for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
        {
            var c = Cell[G.Nbr[e]];
            if (G.Conn[e] && c != own && !cells.Contains(c)) cells.Add(c);
        }
    }

    /// <summary>Applies a split of cells a ∪ b, giving the part to whichever cell keeps more of its units.</summary>
    public void ApplySplit(int a, int b, int[] part)
    {
        var overlapA = part.Count(u => Cell[u] == a);
        var overlapB = part.Length - overlapA;
        var (toPart, toRest) = overlapA >= overlapB ? (a, b) : (b, a);
        _gen++;
        foreach (var u in part) _mark[u] = _gen;
        var region = Members[a].Concat(Members[b]).ToList();
        foreach (var u in region)
        {
            var target = _mark[u] == _gen ? toPart : toRest;
            if (Cell[u] != target) Move(u, target);
        }
    }

    // ---------------------------------------------------------------- contiguity

    /// <summary>Follows connecting edges between units of one cell.</summary>
    private readonly struct SameCell(bool[] conn, int[] cell, int c) : IEdgeFilter
    {
        private readonly bool[] _conn = conn;
        private readonly int[] _cell = cell;
        private readonly int _c = c;
        public bool Follow(int from, int edge, int to) => _conn[edge] && _cell[to] == _c;
    }

    /// <summary>Can <paramref name="u"/> leave its cell without splitting it? (Its neighbours in the cell must stay
    /// connected without it; the walk stops as soon as they are.)</summary>
    public bool CanRemove(int u)
    {
        var a = Cell[u];
        if (Cn[a] <= 1) return false;
        var near = _cellNeighbours;
        near.Clear();
        for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
            if (G.Conn[e] && Cell[G.Nbr[e]] == a) near.Add(G.Nbr[e]);
        if (near.Count == 0) return false;
        _connectivity.BeginPass();
        _connectivity.Exclude(u);
        return _connectivity.Joined(Connectivity.Span(near), new SameCell(G.Conn, Cell, a));
    }

    /// <summary>Reassigns detached pieces of cells to the neighbouring cell they share most boundary with.</summary>
    public void FixContiguity()
    {
        for (var round = 0; round < 20; round++)
        {
            var changed = false;
            for (var c = 0; c < K; c++)
            {
                _connectivity.BeginPass();
                var comps = _connectivity.Components(Connectivity.Span(Members[c]), new SameCell(G.Conn, Cell, c));
                if (comps.Count <= 1) continue;
                var keep = comps.OrderByDescending(l => l.Sum(u => G.W[u])).ThenByDescending(l => l.Count).First();
                foreach (var comp in comps)
                {
                    if (comp == keep) continue;
                    var shared = new Dictionary<int, double>();
                    foreach (var u in comp)
                        for (var e = G.Off[u]; e < G.Off[u + 1]; e++)
                            if (G.Conn[e] && Cell[G.Nbr[e]] != c)
                                shared[Cell[G.Nbr[e]]] = shared.GetValueOrDefault(Cell[G.Nbr[e]]) + G.Len[e] + 1e-9;
                    if (shared.Count == 0) continue;
                    var to = shared.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
                    foreach (var u in comp) Move(u, to);
                    changed = true;
                }
            }
            if (!changed) return;
        }
    }

    /// <summary>Every cell non-empty and connected through connecting edges.</summary>
    public bool AllContiguous()
    {
        _connectivity.BeginPass();
        for (var c = 0; c < K; c++)
            if (Cn[c] == 0 || _connectivity.Flood(Members[c][0], new SameCell(G.Conn, Cell, c)) != Cn[c]) return false;
        return true;
    }
}
