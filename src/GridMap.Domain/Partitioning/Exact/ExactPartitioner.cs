using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace GridMap.Domain.Partitioning.Exact;

/// <summary>
/// Exact mode for small areas (up to <see cref="MaxUnits"/> free units): a CP-SAT model that either proves the best
/// plan, finds one with a known gap, proves that no plan exists within the bounds — then finds the narrowest widened
/// window that admits one — or says that the time ran out. The heuristic's plan is its starting solution.
/// <para>Model (p-median with flow contiguity): x[i,c] = unit i belongs to the cell whose centre is unit c, for the pairs
/// a cell could hold (c reaches i through units weighing at most the maximum); each unit in exactly one cell; a cell
/// exists when its centre is in it; cell weight within [min, max] (or ±tolerance, K cells); contiguity by a
/// single-commodity flow: an edge carries flow only when both ends are in the same cell, every unit but a centre
/// consumes one unit of flow, so each cell is connected to its centre. Objective: Σ households × distance from a unit's
/// centroid to its cell's centre (p-median compactness). Labelling cells by their centre leaves no symmetry between
/// cell numbers.</para>
/// </summary>
public sealed class ExactPartitioner
{
    /// <summary>Largest number of free units exact mode accepts.</summary>
    public const int MaxUnits = 150;

    public ExactPartitioner(PartitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public PartitionOptions Options { get; }
    /// <summary>Time limit of the whole run, default 60 s: the plan's solve, then — when none exists — the search for the
    /// smallest window gets what is left of it (at least <see cref="MinShare"/> of the limit, so a proof found late still
    /// gets a try at the window).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Least share of <see cref="TimeLimit"/> the smallest-window search gets when the plan's solve used the rest.</summary>
    public const double MinShare = 0.1;

    /// <summary>CP-SAT worker threads; default the processor count, 1–8.</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>One-call entry point: exact mode on <paramref name="graph"/> with the heuristic's result as the start.</summary>
    public static ExactResult Solve(UnitGraph graph, PartitionOptions options, PartitionResult? heuristic, TimeSpan timeLimit, CancellationToken ct = default)
        => new ExactPartitioner(options) { TimeLimit = timeLimit }.Run(graph, heuristic, ct);

    /// <summary>Units outside locked cells: what exact mode would model (compare with <see cref="MaxUnits"/>).</summary>
    public static int FreeUnits(UnitGraph graph, PartitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        if (options.InitialPlan is not { } plan || options.LockedCells.Count == 0) return graph.Count;
        return graph.Ids.Count(id => !(plan.TryGetValue(id, out var c) && options.LockedCells.Contains(c)));
    }

    public ExactResult Run(UnitGraph graph, PartitionResult? heuristic = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (TimeLimit <= TimeSpan.Zero) throw new ArgumentException($"time limit {TimeLimit} must be positive.");
        if (heuristic is not null && heuristic.Assignment.Count != graph.Count)
            throw new ArgumentException($"the heuristic's plan has {heuristic.Assignment.Count} entries for {graph.Count} units.");
        var sw = Stopwatch.StartNew();
        var inst = new ExactInstance(graph, Options, heuristic);
        if (inst.N > MaxUnits)
            throw new ArgumentException($"exact mode handles up to {MaxUnits} units; this area has {inst.N} free units.");
        var hint = HeuristicCells(inst, heuristic);
        var heuristicObjective = hint is null ? (double?)null : MeanDistance(inst, BestCentres(inst, hint));
        double Seconds() => Math.Round(sw.Elapsed.TotalSeconds, 3);
        if (inst.N == 0)
            return new ExactResult { Status = ExactStatus.Unknown, Seconds = Seconds(), Reason = "没有可划分的单元（every unit is in a locked cell）" };

        string? reason = inst.Precheck;
        if (reason is null)
        {
            var model = new Model(inst, inst.U, windowSearch: false);
            model.Hint(hint);
            var (status, solver) = model.Solve(TimeLimit, Workers, Options.Seed, ct);
            using (solver)
            {
                if (status is CpSolverStatus.Optimal or CpSolverStatus.Feasible)
                {
                    var centre = model.Centres(solver);
                    var plan = BuildPlan(inst, centre, sw, status != CpSolverStatus.Optimal);
                    if (!plan.IsFeasible)
                        return new ExactResult
                        {
                            Status = ExactStatus.Unknown, Seconds = Seconds(), Units = inst.N, HeuristicObjective = Round(heuristicObjective),
                            Reason = $"精确方案未通过复核（the exact plan failed verification: {plan.Message}）",
                        };
                    var obj = solver.ObjectiveValue;
                    var gap = status == CpSolverStatus.Optimal || obj <= 0 ? 0 : Math.Clamp((obj - solver.BestObjectiveBound) / obj, 0, 1);
                    return new ExactResult
                    {
                        Status = status == CpSolverStatus.Optimal ? ExactStatus.Optimal : ExactStatus.Feasible,
                        Gap = Math.Round(gap, 6), Objective = Round(MeanDistance(inst, centre)), HeuristicObjective = Round(heuristicObjective),
                        Reason = status == CpSolverStatus.Optimal ? null
                            : $"时间用尽，方案未证明最优，与下界相差 {gap:P1}（time ran out before optimality was proved; gap {gap:P1}）",
                        Seconds = Seconds(), Units = inst.N, Plan = plan,
                    };
                }
                if (status == CpSolverStatus.ModelInvalid)
                    throw new InvalidOperationException($"exact partition model is invalid: {model.Cp.Validate()}");
                if (status != CpSolverStatus.Infeasible)
                    return new ExactResult
                    {
                        Status = ExactStatus.Unknown, Seconds = Seconds(), Units = inst.N, HeuristicObjective = Round(heuristicObjective),
                        Reason = $"{TimeLimit.TotalSeconds:0.#} 秒内既未找到方案也未证明无解，不代表无解（time ran out: neither a plan nor a proof that none exists）",
                    };
            }
        }

        // Proved impossible (by a cheap check or by the solver): find the narrowest widened window that admits a plan.
        var (window, proved) = SmallestWindow(inst, hint, Remaining(TimeLimit, sw.Elapsed), ct);
        var bounds = Bounds(inst.Lower, inst.Upper);
        string why;
        if (window is null)
            why = $"{bounds} 无可行方案；{TimeLimit.TotalSeconds:0.#} 秒内未找到可行的放宽范围（no plan exists within {bounds}; no widened window was found in time）";
        else
        {
            var w = Bounds(window.MinHouseholds, window.MaxHouseholds);
            why = proved
                ? $"{bounds} 无可行方案；{w} 有（已证明为最小放宽）（no plan exists within {bounds}; the narrowest window that admits one is {w}）"
                : $"{bounds} 无可行方案；{w} 有（未证明为最小放宽）（no plan exists within {bounds}; {w} admits one, a narrower window may too）";
        }
        if (reason is not null) why = reason + "。" + why;
        return new ExactResult
        {
            Status = ExactStatus.Impossible, Reason = why, SmallestWindow = window, SmallestWindowProved = proved && window is not null,
            HeuristicObjective = Round(heuristicObjective), Seconds = Seconds(), Units = inst.N,
        };
    }

    /// <summary>What is left of <paramref name="limit"/> after <paramref name="elapsed"/>, but at least <see cref="MinShare"/> of it.</summary>
    public static TimeSpan Remaining(TimeSpan limit, TimeSpan elapsed)
    {
        var left = limit - elapsed;
        var floor = limit * MinShare;
        return left > floor ? left : floor;
    }

    private static string Bounds(double lo, double hi) => string.Create(CultureInfo.InvariantCulture, $"{lo:0.##}–{hi:0.##}");

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;

    /// <summary>The narrowest window [min′ ≤ min, max′ ≥ max] (least total widening) that admits a plan, and whether that
    /// was proved. In window mode min′ = 0 always admits one (every unit alone), so max′ ≤ max + min bounds the search.</summary>
    private (ExactWindow? Window, bool Proved) SmallestWindow(ExactInstance inst, List<List<int>>? hint, TimeSpan limit, CancellationToken ct)
    {
        var cap = inst.Options.IsWindow ? inst.U + inst.L : inst.W.Sum();
        var model = new Model(inst, cap, windowSearch: true);
        model.Hint(hint);
        var (status, solver) = model.Solve(limit, Workers, Options.Seed, ct);
        using (solver)
        {
            if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) return (null, false);
            var lo = solver.Value(model.Lo!) / inst.Scale;
            var hi = solver.Value(model.Hi!) / inst.Scale;
            return (new ExactWindow(lo, hi), status == CpSolverStatus.Optimal);
        }
    }

    /// <summary>The heuristic's cells as lists of local units (null when it left a free unit unassigned).</summary>
    private static List<List<int>>? HeuristicCells(ExactInstance inst, PartitionResult? heuristic)
    {
        if (heuristic is null) return null;
        var cells = new Dictionary<int, List<int>>();
        for (var i = 0; i < inst.N; i++)
        {
            var c = heuristic.Assignment[inst.Global[i]];
            if (c < 0) return null;
            if (!cells.TryGetValue(c, out var list)) cells[c] = list = [];
            list.Add(i);
        }
        return [.. cells.OrderBy(kv => kv.Key).Select(kv => kv.Value)];
    }

    /// <summary>Centre per local unit: for each cell the member minimising Σ weight × distance.</summary>
    private static int[] BestCentres(ExactInstance inst, List<List<int>> cells)
    {
        var centre = new int[inst.N];
        foreach (var cell in cells)
        {
            var best = cell[0]; var bestCost = double.PositiveInfinity;
            foreach (var c in cell)
            {
                var cost = cell.Sum(i => inst.Weight[i] * inst.Distance(i, c));
                if (cost < bestCost) { bestCost = cost; best = c; }
            }
            foreach (var i in cell) centre[i] = best;
        }
        return centre;
    }

    /// <summary>Households-weighted mean distance from a unit to its cell's centre, metres.</summary>
    private static double MeanDistance(ExactInstance inst, int[] centre)
    {
        double num = 0, den = 0;
        for (var i = 0; i < inst.N; i++) { num += inst.Weight[i] * inst.Distance(i, centre[i]); den += inst.Weight[i]; }
        return den > 0 ? num / den : 0;
    }

    /// <summary>The plan for the whole graph: locked units keep their cells; the exact cells take the other numbers in
    /// reading order (north to south, west to east), evaluated as the heuristic's plans are.</summary>
    private static PartitionResult BuildPlan(ExactInstance inst, int[] centre, Stopwatch sw, bool timeUp)
    {
        var g = inst.Graph;
        var labels = centre.Distinct().Order().ToList();
        var index = labels.Select((c, k) => (c, k)).ToDictionary(x => x.c, x => x.k);
        var k = labels.Count;
        double[] sx = new double[k], sy = new double[k], sa = new double[k];
        for (var i = 0; i < inst.N; i++)
        {
            var u = inst.Global[i]; var c = index[centre[i]];
            var a = Math.Max(g.Areas[u], 1e-9);
            sx[c] += g.X[u] * a; sy[c] += g.Y[u] * a; sa[c] += a;
        }
        var centroids = Enumerable.Range(0, k).Select(c => (sx[c] / sa[c], sy[c] / sa[c])).ToArray();
        var order = CellCodeAssigner.ReadingOrder(centroids, Math.Sqrt(k == 0 ? 1 : sa.Average()));
        var ids = Enumerable.Range(0, int.MaxValue).Where(c => !inst.LockedCells.Contains(c)).Take(k).ToArray();
        var map = new int[k];
        for (var r = 0; r < order.Count; r++) map[order[r]] = ids[r];
        var cell = new int[g.Count];
        for (var u = 0; u < g.Count; u++) cell[u] = inst.LockedCell[u];
        for (var i = 0; i < inst.N; i++) cell[inst.Global[i]] = map[index[centre[i]]];

        var crossings = inst.Crossings.Where(c => cell[c.A] == cell[c.B]).ToList();
        var connected = WithCrossings(g, crossings);
        var undersize = new HashSet<int>();
        for (var i = 0; i < inst.N; i++)
            if (inst.Light[i] || inst.ExemptGroup[i] >= 0) undersize.Add(cell[inst.Global[i]]);
        var ev = PlanEvaluator.Evaluate(connected, cell, inst.Lower, inst.Upper, inst.Target, inst.LockedCells, undersize);
        var kAll = cell.Max() + 1;
        var (failed, message) = ev.IsFeasible ? (PartitionConstraint.None, (string?)null)
            : !ev.AllContiguous ? (PartitionConstraint.Contiguity, "contiguity: a cell of the exact plan is split.")
            : (PartitionConstraint.Balance, $"balance: a cell of the exact plan is outside {inst.Lower:0.##}–{inst.Upper:0.##}.");
        if (failed == PartitionConstraint.None && inst.Options.Cells is { } kWanted && kAll != kWanted)
            (failed, message) = (PartitionConstraint.Balance, $"balance: the exact plan has {kAll} cells, not {kWanted}.");

        var weight = new double[kAll];
        for (var u = 0; u < g.Count; u++) if (cell[u] >= 0) weight[cell[u]] += g.Weights[u];
        var oversize = new List<OversizeCell>();
        var undersizeCells = new List<UndersizeCell>();
        var warnings = new List<string>();
        for (var i = 0; i < inst.N; i++)
        {
            var c = cell[inst.Global[i]];
            if (inst.Oversize[i])
            {
                var attached = Enumerable.Range(0, inst.N).Where(j => j != i && centre[j] == centre[i]).Select(j => g.Ids[inst.Global[j]]).ToList();
                oversize.Add(new OversizeCell(c, g.Ids[inst.Global[i]], inst.Weight[i], weight[c], attached));
                warnings.Add($"oversize cell {c}: unit '{g.Ids[inst.Global[i]]}' alone weighs {inst.Weight[i]:0.##}, more than the maximum {inst.Upper:0.##}; it is a cell of its own" +
                    (attached.Count > 0 ? $", with {attached.Count} neighbouring unit(s) (cell weight {weight[c]:0.##})." : "."));
            }
        }
        foreach (var c in undersize.Order())
        {
            if (weight[c] >= inst.Lower - 1e-9) continue;
            var units = Enumerable.Range(0, g.Count).Where(u => cell[u] == c).Select(u => g.Ids[u]).ToList();
            undersizeCells.Add(new UndersizeCell(c, units, weight[c]));
            warnings.Add($"undersize cell {c}: {units.Count} unit(s) (first '{units[0]}') weigh {weight[c]:0.##}, less than the minimum; no plan can avoid it.");
        }
        var barrierCrossings = crossings.Select(c =>
            new BarrierCrossing(c.A, c.B, g.Ids[c.A], g.Ids[c.B], g.Neighbours(c.A).First(x => x.Neighbour == c.B).SharedLength)).ToList();
        return new PartitionResult(cell, kAll, ev, failed, message, sw.Elapsed, timeUp, 0)
        {
            OversizeCells = oversize.OrderBy(o => o.Cell).ToList(), UndersizeCells = undersizeCells, BarrierCrossings = barrierCrossings, Warnings = warnings,
        };
    }

    /// <summary>A copy of <paramref name="graph"/> in which the given barrier-crossing edges connect (for the evaluation).</summary>
    private static UnitGraph WithCrossings(UnitGraph graph, IReadOnlyCollection<(int A, int B)> crossings)
    {
        if (crossings.Count == 0) return graph;
        var allowed = crossings.ToHashSet();
        var edges = new List<(int A, int B, double Length, bool Connected)>(graph.GeometricEdgeCount);
        for (var u = 0; u < graph.Count; u++)
            foreach (var (v, len, con) in graph.Neighbours(u))
                if (v > u) edges.Add((u, v, len, con || allowed.Contains((u, v))));
        return new UnitGraph(graph.Ids.ToArray(), graph.Weights, graph.Parents, graph.Areas, graph.Perimeters, graph.X, graph.Y,
            graph.Territories, edges, graph.IsTessellated);
    }

    /// <summary>The CP-SAT model over an <see cref="ExactInstance"/>. With <c>windowSearch</c> the bounds are variables
    /// min′ ∈ [0, min], max′ ∈ [max, cap] and the objective is the widening (min − min′) + (max′ − max).</summary>
    private sealed class Model
    {
        public readonly CpModel Cp = new();
        private readonly ExactInstance _inst;
        private readonly List<(int C, BoolVar X)>[] _cand;
        private readonly BoolVar?[] _y;
        public readonly IntVar? Lo, Hi;

        public Model(ExactInstance inst, long cap, bool windowSearch)
        {
            _inst = inst;
            var n = inst.N;
            _cand = new List<(int, BoolVar)>[n];
            for (var i = 0; i < n; i++) _cand[i] = [];
            _y = new BoolVar?[n];
            var members = new List<int>[n];
            for (var c = 0; c < n; c++)
            {
                members[c] = inst.Reach(c, cap);
                foreach (var i in members[c])
                {
                    var x = Cp.NewBoolVar($"x{i}_{c}");
                    _cand[i].Add((c, x));
                    if (i == c) _y[c] = x;
                }
            }
            if (windowSearch)
            {
                Lo = Cp.NewIntVar(0, inst.L, "min");
                Hi = Cp.NewIntVar(inst.U, Math.Max(inst.U, cap), "max");
            }
            // Oversize units and light units that no neighbour can join are cells of their own, centred on themselves.
            for (var i = 0; i < n; i++)
                if ((inst.Oversize[i] || inst.Light[i]) && _y[i] is { } self) Cp.Add(self == 1);
            for (var i = 0; i < n; i++)
            {
                if (_cand[i].Count == 0) { Cp.Add(LinearExpr.Constant(0) == 1); continue; } // no cell can hold it: infeasible
                Cp.AddExactlyOne(_cand[i].Select(p => (ILiteral)p.X));
                foreach (var (c, x) in _cand[i]) if (c != i) Cp.AddImplication(x, _y[c]!);
            }
            // Cell weights.
            for (var c = 0; c < n; c++)
            {
                if (_y[c] is not { } y || inst.Oversize[c] || inst.Light[c]) continue;
                var terms = members[c].Select(i => _cand[i].First(p => p.C == c).X).ToArray();
                var coeffs = members[c].Select(i => inst.W[i]).ToArray();
                var weight = LinearExpr.WeightedSum(terms, coeffs);
                if (inst.ExemptGroup[c] >= 0) continue; // a group lighter than the minimum: one cell, no bound to meet
                if (windowSearch)
                {
                    Cp.Add(weight >= Lo!).OnlyEnforceIf(y);
                    Cp.Add(weight <= Hi!).OnlyEnforceIf(y);
                }
                else
                {
                    Cp.Add(weight >= inst.L * y);
                    Cp.Add(weight <= inst.U * y);
                }
            }
            foreach (var group in inst.ExemptGroups)
                Cp.Add(LinearExpr.Sum(group.Where(c => _y[c] is not null).Select(c => _y[c]!)) == 1);
            if (inst.KFree > 0)
                Cp.Add(LinearExpr.Sum(_y.Where(y => y is not null).Select(y => y!)) == inst.KFree);

            // Contiguity: single-commodity flow along edges inside one cell from its centre.
            var label = new LinearExpr[n];
            for (var i = 0; i < n; i++)
            {
                if (_cand[i].Count == 1) { label[i] = LinearExpr.Constant(_cand[i][0].C); continue; }
                var v = Cp.NewIntVar(0, n - 1, $"cell{i}");
                Cp.Add(v == LinearExpr.WeightedSum(_cand[i].Select(p => p.X), _cand[i].Select(p => (long)p.C)));
                label[i] = v;
            }
            var inflow = new List<IntVar>[n]; var outflow = new List<IntVar>[n];
            for (var i = 0; i < n; i++) { inflow[i] = []; outflow[i] = []; }
            foreach (var (a, b) in inst.Edges)
            {
                var shared = _cand[a].Select(p => p.C).Intersect(_cand[b].Select(p => p.C)).Any();
                if (!shared) continue;
                var same = Cp.NewBoolVar($"s{a}_{b}");
                Cp.Add(label[a] == label[b]).OnlyEnforceIf(same);
                var fab = Cp.NewIntVar(0, n, $"f{a}_{b}");
                var fba = Cp.NewIntVar(0, n, $"f{b}_{a}");
                Cp.Add(fab <= n * same);
                Cp.Add(fba <= n * same);
                outflow[a].Add(fab); inflow[b].Add(fab);
                outflow[b].Add(fba); inflow[a].Add(fba);
            }
            for (var i = 0; i < n; i++)
            {
                if (_cand[i].Count == 1 && _cand[i][0].C == i) continue; // always its own cell's centre
                var net = LinearExpr.Sum(inflow[i]) - LinearExpr.Sum(outflow[i]);
                if (_y[i] is { } yi) Cp.Add(net >= 1 - n * yi);
                else Cp.Add(net >= 1);
            }

            // Objective.
            if (windowSearch)
            {
                Cp.Minimize(inst.L - Lo! + (Hi! - inst.U));
                return;
            }
            var diameter = 0.0;
            for (var i = 0; i < n; i++) for (var j = i + 1; j < n; j++) diameter = Math.Max(diameter, inst.Distance(i, j));
            var penalty = (long)Math.Ceiling(inst.Weight.Sum() * diameter) + 1;
            var objVars = new List<ILiteral>(); var objCoeffs = new List<long>();
            for (var i = 0; i < n; i++)
                foreach (var (c, x) in _cand[i])
                {
                    var cost = (long)Math.Round(inst.Weight[i] * inst.Distance(i, c));
                    // Joining an oversize cell is the last resort, as in the heuristic: it costs more than any compactness.
                    if (c != i && inst.Oversize[c]) cost += penalty;
                    if (cost != 0) { objVars.Add(x); objCoeffs.Add(cost); }
                }
            Cp.Minimize(LinearExpr.WeightedSum(objVars, objCoeffs));
        }

        /// <summary>Starts the search from <paramref name="cells"/> (the heuristic's plan): each cell centred on the member
        /// that makes it most compact among those the model allows.</summary>
        public void Hint(List<List<int>>? cells)
        {
            if (cells is null) return;
            foreach (var cell in cells)
            {
                var best = -1; var bestCost = double.PositiveInfinity;
                foreach (var c in cell)
                {
                    if (!cell.All(i => _cand[i].Any(p => p.C == c))) continue;
                    var cost = cell.Sum(i => _inst.Weight[i] * _inst.Distance(i, c));
                    if (cost < bestCost) { bestCost = cost; best = c; }
                }
                if (best < 0) continue;
                foreach (var i in cell)
                    foreach (var (c, x) in _cand[i]) Cp.AddHint(x, c == best);
            }
        }

        public (CpSolverStatus Status, CpSolver Solver) Solve(TimeSpan limit, int workers, int seed, CancellationToken ct)
        {
            var solver = new CpSolver
            {
                StringParameters = string.Create(CultureInfo.InvariantCulture,
                    $"max_time_in_seconds:{limit.TotalSeconds:0.###} num_workers:{workers} random_seed:{seed & 0x7fffffff}"),
            };
            CpSolverStatus status;
            using (ct.Register(solver.StopSearch)) status = solver.Solve(Cp);
            ct.ThrowIfCancellationRequested();
            return (status, solver);
        }

        /// <summary>The centre of each unit's cell in the solution.</summary>
        public int[] Centres(CpSolver solver) =>
            _cand.Select(list => list.First(p => solver.BooleanValue(p.X)).C).ToArray();
    }
}
