using System.Runtime.InteropServices;

namespace GridMap.Domain.Partitioning.Search;

/// <summary>
/// Brings a plan within the weight bounds [L, U] while keeping every cell contiguous (<see cref="Repair"/>): balance
/// moves first, then ejection chains (<see cref="ChainRepair"/>), then re-splits of each cell out of bounds with each
/// neighbour, and large-neighbourhood rounds as the last resort.
/// </summary>
internal sealed class BalanceRepair
{
    private const double Eps = PartitionState.Eps;
    private readonly PartitionState _s;
    private readonly Bisection _bisection;
    private readonly LocalSearch _localSearch;
    private readonly SubProblem _g;
    private readonly int _k;
    private readonly double _lo, _hi;
    private readonly Random _rng;
    private readonly int[] _cell;
    private readonly double[] _cw;
    private readonly List<int>[] _members;
    /// <summary>Cells already in the current ejection chain (= <c>_gen</c>).</summary>
    private readonly int[] _cellMark;
    private int _gen;

    public BalanceRepair(PartitionState state, Bisection bisection, LocalSearch localSearch)
    {
        _s = state; _bisection = bisection; _localSearch = localSearch;
        _g = state.G; _k = state.K; _lo = state.Lo; _hi = state.Hi; _rng = state.Rng;
        _cell = state.Cell; _cw = state.Cw; _members = state.Members;
        _cellMark = new int[_k];
    }

    private double Violation(double w) => _s.Violation(w);

    /// <summary>Brings an unbalanced plan within bounds: balance moves, then re-splits of each violating
    /// cell with each neighbour (feasible if possible, else toward the neighbour with most slack).</summary>
    public void Repair(int rounds, Func<bool> stop)
    {
        for (var r = 0; r < rounds && !_s.IsBalanced() && !stop(); r++)
        {
            while (_localSearch.MovePass(balanceOnly: true) > 0 && !_s.IsBalanced()) { }
            if (_s.IsBalanced()) break;
            ChainRepair(8, stop);
            if (_s.IsBalanced()) break;
            var violating = Enumerable.Range(0, _k).Where(c => Violation(_cw[c]) > Eps).ToList();
            _rng.Shuffle(CollectionsMarshal.AsSpan(violating));
            foreach (var a in violating)
            {
                if (Violation(_cw[a]) <= Eps) continue;
                if (stop()) return;
                var neighbours = new HashSet<int>();
                foreach (var u in _members[a])
                    for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                        if (_g.Conn[e] && _cell[_g.Nbr[e]] != a) neighbours.Add(_cell[_g.Nbr[e]]);
                var ordered = neighbours.Order().ToList();
                _rng.Shuffle(CollectionsMarshal.AsSpan(ordered));
                var done = false;
                int[]? bestPart = null; var bestB = -1; var bestGain = Eps;
                foreach (var b in ordered)
                {
                    var region = _members[a].Concat(_members[b]).ToList();
                    var split = _bisection.Bisect(region, 1, 1, 8, 6);
                    if (split.Part.Length == 0) continue;
                    if (split.Feasible) { _s.ApplySplit(a, b, split.Part); done = true; break; }
                    var wPart = split.Part.Sum(u => _g.W[u]);
                    var total = _cw[a] + _cw[b];
                    var gain = Violation(_cw[a]) + Violation(_cw[b]) - Violation(wPart) - Violation(total - wPart);
                    if (gain > bestGain) { bestGain = gain; bestPart = split.Part; bestB = b; }
                }
                if (!done && bestPart is not null) _s.ApplySplit(a, bestB, bestPart);
            }
            if (!_s.IsBalanced()) _localSearch.Recombine(Math.Min(Math.Max(20, 2 * _k), 400), 8, 4, stop);
        }
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
        for (var round = 0; round < rounds && !_s.IsBalanced() && !stop(); round++)
        {
            for (var c = 0; c < _k; c++) cellNbrs[c] = [];
            for (var u = 0; u < _g.N; u++)
                for (var e = _g.Off[u]; e < _g.Off[u + 1]; e++)
                    if (_g.Conn[e] && _cell[_g.Nbr[e]] != _cell[u]) cellNbrs[_cell[u]].Add(_cell[_g.Nbr[e]]);
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
                _rng.Shuffle(CollectionsMarshal.AsSpan(violating));
                foreach (var a in violating)
                {
                    if (stop()) return fixedCells;
                    for (var attempt = 0; attempt < 4 && Violation(_cw[a]) > Eps; attempt++)
                    {
                        if (dist[a] == int.MaxValue) { unreachable++; break; }
                        var before = _s.TotalViolation();
                        moves.Clear();
                        var ok = over ? Push(a) : Pull(a);
                        if (ok && _s.TotalViolation() < before - Eps) { progress = true; continue; }
                        for (var i = moves.Count - 1; i >= 0; i--) _s.Move(moves[i].U, moves[i].From);
                        failed++;
                        break;
                    }
                    if (Violation(_cw[a]) <= Eps) fixedCells++;
                }
            }
            if (Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_TRACE") is not null)
                Console.Error.WriteLine($"    chain round {round}: violation {_s.TotalViolation():0}, cells out of bounds {Enumerable.Range(0, _k).Count(c => Violation(_cw[c]) > Eps)}, fixed {fixedCells}, chains undone {failed}, no sink reachable {unreachable}");
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
                moves.Add((u, c)); _s.Move(u, to);
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
                moves.Add((u, from)); _s.Move(u, c);
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
                    _s.NeighbourCells(u, c, cand);
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
                        for (var e = _g.Off[u]; e < _g.Off[u + 1] && !touches; e++) touches = _g.Conn[e] && _cell[_g.Nbr[e]] == c;
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
                var score = (Violation(cAfter) > Eps ? 10 - w : w) + (dist[other] < dist[c] ? 0 : 1) - 0.1 * _s.Gain(u, from, to);
                if (score >= bestScore || !_s.CanRemove(u)) return;
                bestScore = score; bestU = u; bestOther = other;
            }
        }
    }
}
