namespace GridMap.Domain.Partitioning.Search;

/// <summary>
/// Improvement of a plan: large-neighbourhood search (<see cref="Recombine"/> — merge two adjacent cells and re-split
/// the union by <see cref="Bisection"/>, keep the better), single-unit moves across cell borders
/// (<see cref="MovePass"/>) and paired swaps across one border (<see cref="SwapPass"/>). Every change keeps all cells
/// contiguous; while the plan is balanced it stays within the bounds, while not, changes that reduce the bound
/// violation are preferred.
/// </summary>
internal sealed class LocalSearch
{
    private const double Eps = PartitionState.Eps;
    private const double TieWeight = PartitionState.TieWeight;
    private readonly PartitionState _s;
    private readonly Bisection _bisection;
    private readonly SubProblem _g;
    private readonly int _k;
    private readonly double _lo, _hi;
    private readonly bool _cutObjective;
    private readonly Random _rng;
    private readonly int[] _cell;
    private readonly double[] _cw, _ca, _cp;
    private readonly int[] _cn;
    private readonly List<int>[] _members;

    public LocalSearch(PartitionState state, Bisection bisection)
    {
        _s = state; _bisection = bisection;
        _g = state.G; _k = state.K; _lo = state.Lo; _hi = state.Hi; _cutObjective = state.CutObjective; _rng = state.Rng;
        _cell = state.Cell; _cw = state.Cw; _ca = state.Ca; _cp = state.Cp; _cn = state.Cn; _members = state.Members;
    }

    private static double Pp(double a, double p) => PartitionState.Pp(a, p);
    private double Violation(double w) => _s.Violation(w);

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
                if (_g.Conn[e] && _cell[_g.Nbr[e]] != _cell[u]) return (_cell[u], _cell[_g.Nbr[e]]);
            }
        }
        for (var u = 0; u < _g.N; u++)
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && _cell[_g.Nbr[e]] != _cell[u]) return (_cell[u], _cell[_g.Nbr[e]]);
        return (-1, -1);
    }

    private int CutBetween(int a, int b)
    {
        var n = 0;
        foreach (var u in _members[a])
            for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                if (_g.Conn[e] && _cell[_g.Nbr[e]] == b) n++;
        return n;
    }

    /// <summary>Merge-and-resplit of adjacent cell pairs; returns the number of improvements.</summary>
    public int Recombine(int iterations, int sweeps, int trees, Func<bool> stop, double temperature = 0)
    {
        if (_k < 2) return 0;
        var improved = 0;
        // Annealing (compactness only, temperature > 0): a worse re-split of a pair is sometimes kept to leave
        // local optima; the best plan seen is restored at the end.
        var anneal = temperature > 0 && !_cutObjective;
        var bestScore = anneal ? _s.Score() : 0;
        var current = bestScore;
        var bestCell = anneal ? (int[])_cell.Clone() : null;
        for (var it = 0; it < iterations; it++)
        {
            if ((it & 15) == 0 && stop()) break;
            var (a, b) = RandomAdjacentPair();
            if (a < 0) break;
            var region = _members[a].Concat(_members[b]).ToList();
            var pairScore = _cutObjective ? -CutBetween(a, b) + TieWeight * (Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b])) : Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]);
            var balanced = Violation(_cw[a]) + Violation(_cw[b]) <= Eps;
            // A balanced pair keeps only a better re-split (greedy, compactness): the bisection need not finish the others.
            var split = _bisection.Bisect(region, 1, 1, sweeps, trees, floor: balanced && !anneal && !_cutObjective ? pairScore + 1e-12 : double.NegativeInfinity);
            if (split.Part.Length == 0) continue;
            var t = anneal ? temperature * (1 - (double)it / iterations) : 0;
            var accept = split.Feasible && (!balanced || split.Score > pairScore + 1e-12
                || (_cutObjective && Math.Round(split.Score) >= Math.Round(pairScore) && _rng.Next(3) == 0)
                || (anneal && t > 0 && _rng.NextDouble() < Math.Exp((split.Score - pairScore) / t)));
            if (accept)
            {
                _s.ApplySplit(a, b, split.Part);
                improved++;
                if (anneal)
                {
                    current += Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]) - pairScore;
                    if (current > bestScore + 1e-12 && _s.IsBalanced()) { bestScore = current; Array.Copy(_cell, bestCell!, _cell.Length); }
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
                    _s.ApplySplit(a, b, split.Part);
                    if (anneal) current = _s.Score();
                }
            }
        }
        if (anneal && bestScore > _s.Score() + 1e-12) _s.Load(bestCell!);
        return improved;
    }

    /// <summary>Pairs drawn per batch of <see cref="RecombineBatched"/>.</summary>
    internal const int BatchSize = 64;
    private Bisection[]? _workers;
    private int[]? _batchMark;
    private int _batchGen;

    /// <summary>
    /// Merge-and-resplit as <see cref="Recombine"/> (greedy, no anneal), in batches whose pairs share no cell, the pairs of
    /// a batch cut at once on up to <paramref name="workers"/> threads. Re-splitting the union of cells a and b changes
    /// only a's and b's weight, area and perimeter (another cell's boundary with a ∪ b stays where it is), so the splits
    /// of disjoint pairs do not interact: each is computed from the batch's starting plan with its own random source
    /// (seeded from the start's <see cref="Random"/> when the batch is drawn) and applied in batch order — the plan
    /// depends on the seed only, not on the number of threads. Returns the number of improvements.
    /// </summary>
    public int RecombineBatched(int iterations, int sweeps, int trees, Func<bool> stop, int workers)
    {
        if (_k < 2) return 0;
        workers = Math.Max(1, workers);
        if (_workers is null || _workers.Length < workers)
        {
            _workers = new Bisection[workers];
            for (var t = 0; t < workers; t++) _workers[t] = new Bisection(_s, _rng, new GridMap.Domain.Graphs.Connectivity(_g.Off, _g.Nbr));
            _batchMark = new int[_k];
        }
        var mark = _batchMark!;
        var pairs = new List<(int A, int B, int Seed)>(BatchSize);
        var splits = new Split[BatchSize];
        var coins = new int[BatchSize];
        var floors = new double[BatchSize];
        var improved = 0;
        var it = 0;
        while (it < iterations && !stop())
        {
            pairs.Clear();
            _batchGen++;
            // Draw until the batch is full; a pair touching a cell already in the batch is drawn again (bounded).
            for (var tries = 0; pairs.Count < BatchSize && it + pairs.Count < iterations && tries < 4 * BatchSize; tries++)
            {
                var (a, b) = RandomAdjacentPair();
                if (a < 0) break;
                if (mark[a] == _batchGen || mark[b] == _batchGen) continue;
                mark[a] = mark[b] = _batchGen;
                // The pair as it is (no split of another pair in the batch changes a or b): a balanced pair keeps only a
                // better re-split, which lets the bisection skip the rest (compactness only; cut edges may keep a tie).
                floors[pairs.Count] = !_cutObjective && Violation(_cw[a]) + Violation(_cw[b]) <= Eps ? Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]) + 1e-12 : double.NegativeInfinity;
                pairs.Add((a, b, _rng.Next()));
            }
            if (pairs.Count == 0) break;
            it += pairs.Count;
            var next = -1;
            void Work(int t)
            {
                var bisection = _workers[t];
                int i;
                while ((i = Interlocked.Increment(ref next)) < pairs.Count)
                {
                    var (a, b, seed) = pairs[i];
                    var rng = new Random(seed);
                    bisection.Rng = rng;
                    var region = new List<int>(_members[a].Count + _members[b].Count);
                    region.AddRange(_members[a]); region.AddRange(_members[b]);
                    splits[i] = bisection.Bisect(region, 1, 1, sweeps, trees, floor: floors[i]);
                    coins[i] = rng.Next(3);
                }
            }
            var threads = Math.Min(workers, pairs.Count);
            if (threads <= 1) Work(0);
            else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, Work);
            for (var i = 0; i < pairs.Count; i++)
            {
                var (a, b, _) = pairs[i];
                var split = splits[i];
                splits[i] = default;
                if (split.Part is null || split.Part.Length == 0) continue;
                var pairScore = _cutObjective ? -CutBetween(a, b) + TieWeight * (Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b])) : Pp(_ca[a], _cp[a]) + Pp(_ca[b], _cp[b]);
                var balanced = Violation(_cw[a]) + Violation(_cw[b]) <= Eps;
                var accept = split.Feasible && (!balanced || split.Score > pairScore + 1e-12
                    || (_cutObjective && Math.Round(split.Score) >= Math.Round(pairScore) && coins[i] == 0));
                if (accept) { _s.ApplySplit(a, b, split.Part); improved++; }
                else if (!split.Feasible && !balanced)
                {
                    var before = Violation(_cw[a]) + Violation(_cw[b]);
                    var wPart = 0.0;
                    foreach (var u in split.Part) wPart += _g.W[u];
                    var total = _cw[a] + _cw[b];
                    if (Violation(wPart) + Violation(total - wPart) < before - Eps || Math.Abs(_cw[a] - _cw[b]) > Math.Abs(2 * wPart - total) + Eps)
                        _s.ApplySplit(a, b, split.Part);
                }
            }
        }
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
        var seen = _moveSeen ??= NewSeen();
        if (!balanceOnly) _s.BeginPass(seen);
        foreach (var u in order)
        {
            // A unit that found no move when nothing around it has changed since finds none again: skipped (the same plan).
            if (!balanceOnly && _s.UnchangedInPass(u, seen[u])) continue;
            if (!balanceOnly) seen[u] = _s.Clock;
            var a = _cell[u];
            if (_cn[a] <= 1) continue;
            _s.NeighbourCells(u, a, cand);
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
                var gain = _s.Gain(u, a, b) - dv * 1e3;
                if (gain > bestGain) { bestGain = gain; bestB = b; }
            }
            if (bestB >= 0 && _s.CanRemove(u)) { _s.Move(u, bestB); moves++; }
        }
        if (!balanceOnly) _s.EndPass();
        return moves;
    }

    private long[]? _moveSeen, _swapSeen;

    /// <summary>Per unit: the <see cref="PartitionState.Clock"/> when a pass last looked at it (−1: never).</summary>
    private long[] NewSeen()
    {
        var seen = new long[_g.N];
        Array.Fill(seen, -1L);
        return seen;
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
        var seen = _swapSeen ??= NewSeen();
        _s.BeginPass(seen);
        foreach (var u in order)
        {
            // As in MovePass. A swap tried and given up is undone to the bit (stamps included): nothing to look at again.
            if (_s.UnchangedInPass(u, seen[u])) continue;
            seen[u] = _s.Clock;
            var a = _cell[u];
            if (_cn[a] <= 2) continue;
            _s.NeighbourCells(u, a, cand);
            if (cand.Count == 0) continue;
            var wu = _g.W[u];
            foreach (var b in cand)
            {
                if (_cn[b] <= 1) continue;
                // Only pairs where u alone would break a bound: single moves already took the rest.
                if (_cw[a] - wu >= _lo - Eps && _cw[b] + wu <= _hi + Eps) continue;
                var gainU = _s.Gain(u, a, b);
                if (gainU < -0.05 && !_cutObjective) continue;
                if (!_s.CanRemove(u)) break;
                var trial = _s.TryMove(u, b);
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
                        for (var e = _g.Off[v]; e < _g.Off[v + 1] && !touchesA; e++) touchesA = _g.Conn[e] && _cell[_g.Nbr[e]] == a;
                        if (!touchesA) continue;
                        var gv = _s.Gain(v, b, a);
                        if (gv > bestGain && _s.CanRemove(v)) { bestGain = gv; bestV = v; }
                    }
                }
                if (bestV >= 0) { _s.Move(bestV, a); swaps++; break; }
                _s.Undo(trial);
            }
        }
        _s.EndPass();
        return swaps;
    }
}
