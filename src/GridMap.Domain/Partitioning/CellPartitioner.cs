using System.Diagnostics;
using GridMap.Domain.Partitioning.Search;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Divides units into K contiguous cells of balanced weight, as compact as possible (or with the fewest
/// cut edges). Hard constraints: whole units, contiguity through connected adjacency, every cell within
/// ±tolerance of total/K or within the min/max window (K then chosen per area), optional nesting inside
/// parent areas, locked cells kept as they are. With an initial plan the search warm-starts from it and by
/// default only repairs it, so a small change in the units changes few assignments.
/// Never returns an infeasible plan as feasible: <see cref="PartitionResult.FailedConstraint"/> says why.
/// </summary>
/// <example><code>var result = CellPartitioner.Partition(graph, new PartitionOptions { Cells = 67, Tolerance = 0.02 });</code></example>
public sealed class CellPartitioner
{
    public CellPartitioner(PartitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public PartitionOptions Options { get; }

    /// <summary>One-call entry point.</summary>
    public static PartitionResult Partition(UnitGraph graph, PartitionOptions options, IProgress<PartitionProgress>? progress = null,
        CancellationToken ct = default) => new CellPartitioner(options).Run(graph, progress, ct);

    /// <summary>The weight bounds [lower, upper] and target per cell for <paramref name="graph"/>.</summary>
    public (double Lower, double Upper, double Target) Bounds(UnitGraph graph)
    {
        if (Options.IsWindow) return (Options.MinWeight!.Value, Options.MaxWeight!.Value, (Options.MinWeight!.Value + Options.MaxWeight!.Value) / 2);
        var target = graph.TotalWeight / Options.Cells!.Value;
        return ((1 - Options.Tolerance) * target, (1 + Options.Tolerance) * target, target);
    }

    public PartitionResult Run(UnitGraph graph, IProgress<PartitionProgress>? progress = null, CancellationToken ct = default)
    {
        // One clock for the whole call: the hard-barrier retry below gets what the first run left of the time limit,
        // not a time limit of its own (a district ran 15 s against 10 s when each run had the full limit).
        var sw = Stopwatch.StartNew();
        var result = Run(graph, Options.Barriers, progress, ct, sw);
        if (result.IsFeasible || Options.Barriers != BarrierMode.Soft) return result;
        // Soft barriers joined groups across roads, and the search found no plan for a joined group. Holding every
        // barrier (light units left alone become undersize cells) may still give one: try it before giving up.
        var hard = Run(graph, BarrierMode.Hard, progress, ct, sw);
        if (!hard.IsFeasible) return result;
        return new PartitionResult(hard.Assignment.ToArray(), hard.CellCount, hard.Evaluation, hard.FailedConstraint, hard.Message,
            sw.Elapsed, hard.TimeLimitReached || result.TimeLimitReached, result.Starts + hard.Starts)
        {
            OversizeCells = hard.OversizeCells, UndersizeCells = hard.UndersizeCells, BarrierCrossings = hard.BarrierCrossings,
            Warnings = [.. hard.Warnings, "no plan was found with the barrier crossings soft barriers allowed; this plan holds every barrier."],
        };
    }

    private PartitionResult Run(UnitGraph graph, BarrierMode barriers, IProgress<PartitionProgress>? progress, CancellationToken ct, Stopwatch sw)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var timeUp = false;
        // Called from the parallel starts too: a bool written true once and a thread-safe clock.
        bool Stop()
        {
            ct.ThrowIfCancellationRequested();
            if (sw.Elapsed >= Options.TimeLimit) Volatile.Write(ref timeUp, true);
            return Volatile.Read(ref timeUp);
        }
        var n = graph.Count;
        var (lower, upper, target) = Bounds(graph);
        var cell = new int[n];
        Array.Fill(cell, -1);
        PartitionResult Fail(PartitionConstraint c, string message, PlanEvaluation? ev = null) =>
            new(cell, Options.Cells ?? 0, ev, c, message, sw.Elapsed, timeUp, 0);

        // Locked cells: their units are fixed and left out of the search.
        var locked = new HashSet<int>(Options.LockedCells);
        var free = new bool[n];
        for (var u = 0; u < n; u++)
        {
            free[u] = true;
            if (Options.InitialPlan is { } plan && plan.TryGetValue(graph.Ids[u], out var c) && locked.Contains(c)) { cell[u] = c; free[u] = false; }
        }
        foreach (var c in locked)
            if (!cell.Contains(c)) return Fail(PartitionConstraint.LockedCells, $"locked cell {c} has no units in the initial plan.");
        if (Options.Cells is { } kAll && locked.Any(c => c >= kAll))
            return Fail(PartitionConstraint.LockedCells, $"locked cell {locked.Max()} does not exist with {kAll} cells (cells are numbered from 0).");

        // A unit heavier than the largest allowed cell cannot be split: in window mode it becomes a cell of its own.
        var oversize = new List<int>();
        for (var u = 0; u < n; u++)
            if (free[u] && PlanEvaluator.Above(graph.Weights[u], upper))
            {
                if (!Options.IsWindow)
                    return Fail(PartitionConstraint.Balance, $"balance: unit '{graph.Ids[u]}' weighs {graph.Weights[u]:0.##}, more than the largest allowed cell ({upper:0.##}).");
                oversize.Add(u);
            }

        bool KeepEdge(int a, int b) => !Options.Nest || graph.Parents[a] == graph.Parents[b];
        var objectiveCut = Options.Objective == PartitionObjective.CutEdges;
        var freeCount = free.Count(f => f);
        var kFree = Options.Cells is { } k0 ? k0 - locked.Count : -1;
        if (Options.Cells is not null && kFree < 0) return Fail(PartitionConstraint.LockedCells, $"{locked.Count} locked cells exceed the {Options.Cells} cells asked for.");

        // Warm start from the previous plan.
        if (Options.InitialPlan is { } initial && freeCount > 0 && oversize.Count == 0)
        {
            var warm = WarmStart(graph, initial, free, locked, lower, upper, objectiveCut, KeepEdge, Stop);
            if (warm is not null)
            {
                foreach (var (u, c) in warm) cell[u] = c;
                return Finish(graph, cell, lower, upper, target, locked, sw, timeUp, 1);
            }
        }

        // Independent subproblems: connected components of the free units (inside one parent when nesting).
        progress?.Report(new PartitionProgress("adjacency", 0));
        var grouping = UnitGrouper.Build(graph, free, oversize, KeepEdge, lower, upper, barriers, Options.IsWindow);
        var comps = grouping.Groups;
        // Crossings the grouping allowed connect from here on: in the search and in the evaluation.
        graph = UnitGrouper.WithCrossings(graph, grouping.Crossings);
        var ks = new int[comps.Count];
        var his = new int[comps.Count];
        var weights = comps.Select(cp => cp.Sum(u => graph.Weights[u])).ToArray();
        for (var s = 0; s < comps.Count; s++)
        {
            var lo = (int)Math.Ceiling(weights[s] / upper - 1e-9);
            var hi = lower > 0 ? (int)Math.Floor(weights[s] / lower + 1e-9) : comps[s].Count;
            hi = Math.Min(hi, comps[s].Count);
            lo = Math.Max(lo, 1);
            if (lo > hi)
            {
                var what = Options.Nest ? $"parent area '{graph.Parents[comps[s][0]]}'" : "a connected group of units";
                if (barriers == BarrierMode.Soft) what += " (even joined across barriers)";
                var constraint = comps.Count > 1 ? (Options.Nest ? PartitionConstraint.Nesting : PartitionConstraint.Contiguity) : PartitionConstraint.Balance;
                return Fail(constraint, $"{ConstraintName(constraint)}: {what} of {comps[s].Count} units (first '{graph.Ids[comps[s][0]]}') weighs {weights[s]:0.##}, " +
                    $"which cannot be divided into whole cells of {lower:0.##}–{upper:0.##}.");
            }
            ks[s] = Options.IsWindow ? Math.Clamp((int)Math.Round(weights[s] / target), lo, hi) : lo;
            his[s] = hi;
        }
        if (!Options.IsWindow)
        {
            var sum = ks.Sum();
            var cap = his.Sum();
            if (sum > kFree || cap < kFree)
            {
                var constraint = comps.Count > 1 ? (Options.Nest ? PartitionConstraint.Nesting : PartitionConstraint.Contiguity) : PartitionConstraint.Balance;
                return Fail(constraint, $"{ConstraintName(constraint)}: the {comps.Count} separate group(s) of units need between {sum} and {cap} cells " +
                    $"of {lower:0.##}–{upper:0.##}, but {kFree} free cells were asked for.");
            }
            while (sum < kFree)
            {
                var pick = -1; var worst = double.NegativeInfinity;
                for (var s = 0; s < comps.Count; s++)
                    if (ks[s] < his[s] && weights[s] / ks[s] > worst) { worst = weights[s] / ks[s]; pick = s; }
                ks[pick]++; sum++;
            }
        }

        var totalWork = comps.Select((cp, s) => (double)cp.Count * ks[s]).Sum();
        var done = 0.0;
        // Oversize cells take the first numbers (renumbered in reading order below with the rest).
        for (var o = 0; o < grouping.Oversize.Count; o++)
        {
            cell[grouping.Oversize[o].Unit] = o;
            foreach (var u in grouping.Oversize[o].Attached) cell[u] = o;
        }
        for (var o = 0; o < grouping.Undersize.Count; o++)
            foreach (var u in grouping.Undersize[o]) cell[u] = grouping.Oversize.Count + o;
        var nextCell = grouping.Oversize.Count + grouping.Undersize.Count;
        if (Options.IsWindow && Options.PMedianPolish && !objectiveCut)
            nextCell = PMedianPolish.DetachFromOversize(graph, grouping.Oversize, cell, nextCell, lower, upper, KeepEdge);
        var startsRun = 0;
        var failures = new List<string>();
        for (var s = 0; s < comps.Count; s++)
        {
            var sub = new SubProblem(graph, comps[s], KeepEdge);
            int[]? best = null; var bestScore = double.NegativeInfinity; var bestFeasible = false; var bestMiss = double.PositiveInfinity;
            var feasibleStarts = new List<int[]>();
            if (ks[s] == 1) { best = new int[sub.N]; bestFeasible = true; }
            else
            {
                var starts = Options.Starts > 0 ? Options.Starts : AutoStarts(sub.N, ks[s]);
                var outcomes = RunStarts(sub, ks[s], s, starts, lower, upper, objectiveCut, Stop, ct, finished =>
                    progress?.Report(new PartitionProgress("search", Math.Min(1, (done + (double)finished / starts * sub.N * ks[s]) / totalWork))));
                // The winner is chosen in start order, as if the starts had run one after another: the plan does not
                // depend on how many ran at once.
                foreach (var o in outcomes)
                {
                    if (o is null) continue;
                    startsRun++;
                    var (cells, feasible, score, miss) = o.Value;
                    if (feasible) feasibleStarts.Add(cells);
                    // Among infeasible starts the one closest to the bounds wins (it is the plan reported, and the
                    // planner's best-effort preview): contiguous first, then the least bound violation.
                    if (best is null || (feasible && !bestFeasible) || (feasible && score > bestScore)
                        || (!feasible && !bestFeasible && (miss < bestMiss - 1e-9 || (Math.Abs(miss - bestMiss) <= 1e-9 && score > bestScore))))
                    {
                        best = cells; bestScore = score; bestFeasible = feasible; bestMiss = miss;
                    }
                }
                progress?.Report(new PartitionProgress("search", Math.Min(1, (done + sub.N * ks[s]) / totalWork), objectiveCut ? -bestScore : bestScore / ks[s]));
            }
            // Window mode on coarse units: when no start balanced the group with K fixed, pack it (K free). With the p-median
            // polish on a small group the packings are made even when a start balanced it: they are candidates below.
            var polish = Options.IsWindow && Options.PMedianPolish && !objectiveCut && sub.N <= PMedianPolish.MaxUnits;
            List<int[]> packings = [];
            if ((!bestFeasible || polish) && Options.IsWindow && !Stop() && PackWindow(sub, lower, upper, objectiveCut, Mix(Options.Seed, s, 1 << 20), Stop) is { Count: > 0 } packed)
            {
                // The most compact packing first; it is the plan when no start balanced the group.
                var top = packed.MaxBy(p => p.Score);
                packings = [top.Cell, .. packed.Where(p => !ReferenceEquals(p.Cell, top.Cell)).Select(p => p.Cell)];
                if (!bestFeasible) { best = top.Cell; bestFeasible = true; ks[s] = top.K; }
            }
            // Window mode on small groups: every feasible start and every packing p-median polished, the least distance to
            // the centres wins. Starts and packings differ in their number of cells (a start keeps the K it was given, a
            // packing takes what it needs), and one cell more or less can be the shorter distances.
            if (bestFeasible && polish)
            {
                var candidates = new List<int[]>(feasibleStarts);
                if (feasibleStarts.Count == 0) candidates.Add(best!); // a one-cell group, or the most compact packing
                candidates.AddRange(packings.Where(p => !ReferenceEquals(p, best)));
                (best, ks[s]) = PMedianPolish.Best(sub, candidates, lower, upper, false, Stop);
            }
            done += sub.N * ks[s];
            if (!bestFeasible) failures.Add($"group of {sub.N} units into {ks[s]} cells");
            for (var i = 0; i < sub.N; i++) cell[sub.Global[i]] = nextCell + best![i];
            nextCell += ks[s];
        }
        // A start that left a cell empty (possible only in an infeasible plan) must not leave a gap in the numbering:
        // a plan is a list of non-empty cells. With K fixed, Finish then reports the missing cells.
        var used = new bool[nextCell];
        for (var u = 0; u < n; u++) if (free[u] && cell[u] >= 0) used[cell[u]] = true;
        if (used.Contains(false))
        {
            var remap = new int[nextCell];
            var next = 0;
            for (var c = 0; c < nextCell; c++) remap[c] = used[c] ? next++ : -1;
            for (var u = 0; u < n; u++) if (free[u] && cell[u] >= 0) cell[u] = remap[cell[u]];
            nextCell = next;
        }
        // Free cells take the numbers locked cells leave, in reading order (north to south, west to east).
        Renumber(graph, cell, free, locked, nextCell);
        var undersizeCells = grouping.Undersize.Select(m => cell[m[0]]).ToHashSet();
        return Annotate(Finish(graph, cell, lower, upper, target, locked, sw, timeUp, startsRun, undersizeCells), graph, cell, grouping, upper);
    }

    /// <summary>Adds the oversize cells, the barrier crossings used and their warnings to a result.</summary>
    private static PartitionResult Annotate(PartitionResult r, UnitGraph graph, int[] cell, UnitGrouper.Grouping grouping, double upper)
    {
        if (grouping.Oversize.Count == 0 && grouping.Undersize.Count == 0 && grouping.Crossings.Count == 0) return r;
        var cellWeight = new Dictionary<int, double>();
        for (var u = 0; u < graph.Count; u++) if (cell[u] >= 0) cellWeight[cell[u]] = cellWeight.GetValueOrDefault(cell[u]) + graph.Weights[u];
        var oversize = grouping.Oversize.Select(o => new OversizeCell(cell[o.Unit], graph.Ids[o.Unit], graph.Weights[o.Unit],
            cellWeight[cell[o.Unit]], o.Attached.Select(u => graph.Ids[u]).ToList())).OrderBy(o => o.Cell).ToList();
        var undersize = grouping.Undersize.Select(m => new UndersizeCell(cell[m[0]], m.Select(u => graph.Ids[u]).ToList(), cellWeight[cell[m[0]]]))
            .OrderBy(c => c.Cell).ToList();
        var crossings = grouping.Crossings.Select(c =>
        {
            var len = graph.Neighbours(c.A).First(x => x.Neighbour == c.B).SharedLength;
            return new BarrierCrossing(c.A, c.B, graph.Ids[c.A], graph.Ids[c.B], len);
        }).ToList();
        var warnings = new List<string>();
        foreach (var o in oversize)
            warnings.Add($"oversize cell {o.Cell}: unit '{o.UnitId}' alone weighs {o.UnitWeight:0.##}, more than the maximum {upper:0.##}; it is a cell of its own" +
                (o.AttachedUnits.Count > 0 ? $", with {o.AttachedUnits.Count} neighbouring unit(s) that could not form a cell otherwise (cell weight {o.CellWeight:0.##})." : "."));
        foreach (var c in undersize)
            warnings.Add(c.Units.Count == 1
                ? $"undersize cell {c.Cell}: unit '{c.Units[0]}' weighs {c.Weight:0.##}, less than the minimum, and no neighbour can join it within the maximum; it is a cell of its own."
                : $"undersize cell {c.Cell}: {c.Units.Count} units (first '{c.Units[0]}') weigh {c.Weight:0.##} together, less than the minimum, with no neighbouring group to join.");
        if (crossings.Count > 0)
            warnings.Add($"{crossings.Count} barrier crossing(s) allowed where fenced-in groups could not be divided into whole cells: " +
                string.Join(", ", crossings.Take(10).Select(c => $"'{c.UnitA}'–'{c.UnitB}'")) + (crossings.Count > 10 ? ", …" : "") + ".");
        return new PartitionResult(r.Assignment.ToArray(), r.CellCount, r.Evaluation, r.FailedConstraint, r.Message, r.Elapsed, r.TimeLimitReached, r.Starts)
        {
            OversizeCells = oversize, UndersizeCells = undersize, BarrierCrossings = crossings, Warnings = warnings,
        };
    }

    /// <summary>
    /// Window mode fallback (<see cref="WindowPacker"/>): up to four packings of the group, each made compact by
    /// pair re-splits, single moves and swaps that keep every cell within the window, in the order they were made, with
    /// their compactness score (the caller takes the most compact, or polishes them all). Empty when no packing is found
    /// in the time left.
    /// </summary>
    private static List<(int[] Cell, int K, double Score)> PackWindow(SubProblem sub, double lower, double upper, bool objectiveCut, int seed, Func<bool> stop)
    {
        var rng = new Random(seed);
        var packings = new List<(int[] Cell, int K, double Score)>();
        for (var round = 0; round < 4 && !stop(); round++)
        {
            var cells = WindowPacker.Pack(sub, lower, upper, rng, 20_000, stop);
            if (Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_TRACE") is not null)
                Console.Error.WriteLine($"  window packing {round}: {(cells is null ? "none found" : $"{cells.Max() + 1} cells")}");
            if (cells is null) break;
            var k = cells.Max() + 1;
            var search = new PartitionSearch(sub, k, lower, upper, objectiveCut, rng.Next());
            search.Load(cells);
            if (k >= 2)
                for (var r = 0; r < 3 && !stop(); r++)
                {
                    search.Recombine(8 * k, 8, 3, stop);
                    for (var i = 0; i < 10 && search.MovePass() + search.SwapPass() > 0 && !stop(); i++) { }
                }
            if (!search.IsBalanced() || !search.AllContiguous()) continue;
            packings.Add(((int[])search.Cell.Clone(), k, objectiveCut ? search.Score() : search.Score() / k));
        }
        return packings;
    }

    private static string ConstraintName(PartitionConstraint c) => c switch
    {
        PartitionConstraint.Balance => "balance",
        PartitionConstraint.Contiguity => "contiguity",
        PartitionConstraint.Nesting => "nesting",
        PartitionConstraint.LockedCells => "locked cells",
        PartitionConstraint.TimeLimit => "time limit",
        _ => "none",
    };

    /// <summary>
    /// Runs the starts of one group, several at once (<see cref="PartitionOptions.Parallelism"/>, default one per
    /// processor). Start i always has the seed <see cref="Mix"/>(seed, group, i) and its own state; the first start
    /// always runs (a group needs a plan), a later one only if the time limit has not been reached when it would
    /// begin. Returns the outcome of each start by index (null: not run).
    /// </summary>
    private (int[] Cells, bool Feasible, double Score, double Miss)?[] RunStarts(SubProblem sub, int k, int group, int starts, double lower, double upper,
        bool objectiveCut, Func<bool> stop, CancellationToken ct, Action<int> finished)
    {
        var outcomes = new (int[] Cells, bool Feasible, double Score, double Miss)?[starts];
        var workers = Options.Parallelism > 0 ? Options.Parallelism : Environment.ProcessorCount;
        var next = -1; var doneCount = 0;
        var gate = new object();
        void Worker()
        {
            while (true)
            {
                var start = Interlocked.Increment(ref next);
                if (start >= starts || (start > 0 && stop())) return;
                var search = new PartitionSearch(sub, k, lower, upper, objectiveCut, Mix(Options.Seed, group, start));
                RunStart(search, sub.N, k, start, objectiveCut, stop, Math.Max(1, workers / Math.Min(starts, workers)));
                var feasible = search.IsBalanced() && search.AllContiguous();
                var miss = feasible ? 0 : search.TotalViolation() + (search.AllContiguous() ? 0 : 1e12);
                outcomes[start] = (search.Cell, feasible, search.Score(), miss);
                lock (gate) finished(++doneCount);
            }
        }
        var threads = Math.Min(starts, workers);
        if (threads <= 1) { Worker(); return outcomes; }
        var tasks = new Task[threads - 1];
        for (var t = 0; t < tasks.Length; t++) tasks[t] = Task.Factory.StartNew(Worker, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Exception? mine = null;
        try { Worker(); } catch (Exception e) { mine = e; }
        try { Task.WaitAll(tasks, CancellationToken.None); }
        catch (AggregateException ae) { mine ??= ae.InnerExceptions[0]; }
        if (mine is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(mine).Throw();
        return outcomes;
    }

    /// <summary>Deterministic seed mixing (HashCode.Combine is randomised per process).</summary>
    internal static int Mix(int seed, int group, int start)
    {
        var h = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)group * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(uint)start * 0x165667B19E3779F9UL;
        h ^= h >> 29; h *= 0xBF58476D1CE4E5B9UL; h ^= h >> 32;
        return (int)(h & 0x7fffffff);
    }

    /// <summary>Starts sized so small instances get many restarts and 100,000 units get one.</summary>
    internal static int AutoStarts(int n, int k) => n <= 400 ? 16 : n <= 3000 ? 4 : n <= 20_000 ? 2 : 1;

    /// <summary>Above this many units a start's merge-and-resplit rounds cut disjoint pairs in batches, on the cores its
    /// group's other starts leave free (<see cref="LocalSearch.RecombineBatched"/>); the plan does not depend on how many.</summary>
    internal const int BatchedRecombineAbove = 20_000;

    private static void RunStart(PartitionSearch search, int n, int k, int start, bool cutObjective, Func<bool> stop, int workers)
    {
        // GRIDMAP_PARTITION_TRACE=1 prints each phase's time, bound violation and compactness to stderr.
        var trace = Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_TRACE") is not null;
        var clock = Stopwatch.StartNew();
        void T(string what) { if (trace) Console.Error.WriteLine($"  {what}: {clock.Elapsed.TotalSeconds:0.00}s violation {search.TotalViolation():0} contiguous {search.AllContiguous()} mean PP {search.MeanPp():0.000}"); }
        // Compactness starts from a balanced power diagram (near-centroidal, convex cells); cut-edges alternates
        // it with plain bisection, whose straight cuts suit edge counts on coarse units. The diagram's centres come
        // from bisection through the adjacency, or, above 20,000 units, from cheap coordinate bisection (the
        // power diagram redraws the cells anyway, and ejection chains in the repair absorb its rounding).
        var powerDiagram = k >= 3 && (!cutObjective || start % 2 == 0);
        if (powerDiagram && n > 20_000) search.SeedGeometric();
        else search.Seed(sweeps: 8, trees: n <= 400 ? 8 : 2);
        T("seed");
        // Above 20,000 units the power diagram runs longer (40 rounds of 3 steps instead of 12 of 8) and the re-splits after it
        // are 60 % as many: once the diagram's steps were vectorised it became the cheaper way to compactness. Measured on
        // 100,000 compounds (docs/partitioning.md §8.6), seeds 1–6: mean PP 0.5872 → 0.5891 with about a fifth less search.
        var large = n > BatchedRecombineAbove;
        if (powerDiagram) { search.SeedPowerDiagram(large ? 40 : 12, large ? 3 : 8, large ? workers : 1); T("power diagram"); }
        search.Repair(30, stop);
        T("repair");
        for (var i = 0; i < 10 && !stop() && search.MovePass() > 0; i++) { }
        T("moves");
        // Cut-edge counts move in plateaus: give them more (cheap, small-instance) iterations.
        var iterations = (24 * k + 40 * Math.Min(k, 8)) * (cutObjective ? 2 : 1);
        if (large && powerDiagram) iterations = iterations * 3 / 5;
        var sweeps = k == 2 ? 16 : 8;
        var trees = n / Math.Max(1, k) <= 200 ? 3 : 1;
        // A short anneal first (small instances: cheap), then greedy rounds; each round ends with moves and swaps.
        if (!cutObjective && n <= 3000) search.Recombine(2 * iterations, sweeps, trees, stop, temperature: 0.05);
        for (var round = 0; round < 3 && !stop(); round++)
        {
            // Above 20,000 units each re-cut tries 6 sweeps (3 straight directions, 3 discs) and 1 spanning tree instead of
            // 8 and 3: measured on 100,000 compounds, seeds 1–3, mean PP 0.587 / 0.587 / 0.587 with 8 + 3 and 0.588 / 0.587
            // with 6 + 1 (6 + 2: 0.587 / 0.587 / 0.587) for 15–20 % less CPU; 4 sweeps (one straight axis) fell to 0.580.
            var gained = n > BatchedRecombineAbove ? search.RecombineBatched(iterations / 3, Math.Min(sweeps, 6), Math.Min(trees, 1), stop, workers)
                : search.Recombine(iterations / 3, sweeps, trees, stop);
            T($"round {round} recombine ({gained} of {iterations / 3} pairs re-split)");
            if (!search.IsBalanced()) search.Repair(10, stop);
            for (var i = 0; i < 10 && search.MovePass() + search.SwapPass() > 0 && !stop(); i++) { }
            T($"round {round}");
        }
        if (!search.IsBalanced()) search.Repair(30, stop);
    }

    private Dictionary<int, int>? WarmStart(UnitGraph graph, IReadOnlyDictionary<string, int> plan, bool[] free, HashSet<int> locked,
        double lower, double upper, bool objectiveCut, Func<int, int, bool> keepEdge, Func<bool> stop)
    {
        var nodes = Enumerable.Range(0, graph.Count).Where(u => free[u]).ToList();
        var cellIds = nodes.Select(u => plan.TryGetValue(graph.Ids[u], out var c) ? c : -1).Where(c => c >= 0 && !locked.Contains(c)).Distinct().Order().ToList();
        if (cellIds.Count == 0) return null;
        if (Options.Cells is { } k && cellIds.Count != k - locked.Count) return null;
        var localCell = cellIds.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var sub = new SubProblem(graph, nodes, keepEdge);
        var assign = new int[sub.N];
        var pending = new List<int>();
        for (var i = 0; i < sub.N; i++)
        {
            assign[i] = plan.TryGetValue(graph.Ids[sub.Global[i]], out var c) && localCell.TryGetValue(c, out var lc) ? lc : -1;
            if (assign[i] < 0) pending.Add(i);
        }
        // New units join the neighbouring cell they share the longest boundary with.
        for (var round = 0; pending.Count > 0 && round < sub.N; round++)
        {
            var next = new List<int>();
            foreach (var i in pending)
            {
                var bestC = -1; var bestLen = -1.0;
                for (var e = sub.Off[i]; e < sub.Off[i + 1]; e++)
                    if (sub.Conn[e] && assign[sub.Nbr[e]] >= 0 && sub.Len[e] > bestLen) { bestLen = sub.Len[e]; bestC = assign[sub.Nbr[e]]; }
                if (bestC >= 0) assign[i] = bestC; else next.Add(i);
            }
            if (next.Count == pending.Count) return null;
            pending = next;
        }
        var search = new PartitionSearch(sub, cellIds.Count, lower, upper, objectiveCut, Options.Seed & 0x7fffffff);
        search.Load(assign);
        search.FixContiguity();
        search.Repair(30, stop);
        if (!Options.WarmStartRepairOnly)
        {
            search.Recombine(10 * cellIds.Count, 8, 1, stop);
            for (var i = 0; i < 10 && search.MovePass() > 0; i++) { }
        }
        if (!search.IsBalanced() || !search.AllContiguous()) return null;
        var result = new Dictionary<int, int>();
        for (var i = 0; i < sub.N; i++) result[sub.Global[i]] = cellIds[search.Cell[i]];
        // Keep ids dense 0..K−1 when the plan had gaps: only renumber if needed.
        return result;
    }

    private static void Renumber(UnitGraph graph, int[] cell, bool[] free, HashSet<int> locked, int freeCells)
    {
        var sx = new double[freeCells]; var sy = new double[freeCells]; var sa = new double[freeCells];
        for (var u = 0; u < graph.Count; u++)
        {
            if (!free[u]) continue;
            var a = Math.Max(graph.Areas[u], 1e-9);
            sx[cell[u]] += graph.X[u] * a; sy[cell[u]] += graph.Y[u] * a; sa[cell[u]] += a;
        }
        var centroids = Enumerable.Range(0, freeCells).Select(c => (sx[c] / sa[c], sy[c] / sa[c])).ToArray();
        var meanArea = sa.Length == 0 ? 1 : sa.Average();
        var order = CellCodeAssigner.ReadingOrder(centroids, Math.Sqrt(meanArea));
        var ids = Enumerable.Range(0, int.MaxValue).Where(c => !locked.Contains(c)).Take(freeCells).ToArray();
        var map = new int[freeCells];
        for (var i = 0; i < order.Count; i++) map[order[i]] = ids[i];
        for (var u = 0; u < graph.Count; u++) if (free[u]) cell[u] = map[cell[u]];
    }

    private PartitionResult Finish(UnitGraph graph, int[] cell, double lower, double upper, double target, HashSet<int> locked,
        Stopwatch sw, bool timeUp, int starts, IReadOnlySet<int>? undersize = null)
    {
        var ev = PlanEvaluator.Evaluate(graph, cell, lower, upper, target, locked, undersize);
        var k = cell.Length == 0 ? 0 : cell.Max() + 1;
        if (Options.Cells is { } kWanted && k != kWanted)
            return new PartitionResult(cell, k, ev, PartitionConstraint.Balance,
                $"balance: no plan found with {kWanted} non-empty cells within {lower:0.##}–{upper:0.##}; the best has {k}." +
                (timeUp ? $" The time limit ({Options.TimeLimit.TotalSeconds:0.#} s) was reached; a longer --time-limit may help." : ""), sw.Elapsed, timeUp, starts);
        if (ev.IsFeasible) return new PartitionResult(cell, k, ev, PartitionConstraint.None, null, sw.Elapsed, timeUp, starts);
        string message;
        PartitionConstraint constraint;
        var broken = ev.Cells.Where(c => !c.Contiguous && !c.Locked).Select(c => c.Cell).ToList();
        if (broken.Count > 0)
        {
            constraint = PartitionConstraint.Contiguity;
            message = $"contiguity: no plan found with every cell connected; cells {string.Join(", ", broken.Take(10))} are split.";
        }
        else
        {
            constraint = PartitionConstraint.Balance;
            var off = ev.Cells.Where(c => !c.Locked && !c.Oversize && !c.Undersize && (c.Weight < lower - 1e-9 || c.Weight > upper + 1e-9)).ToList();
            message = $"balance: no plan found with every cell within {lower:0.##}–{upper:0.##}; {off.Count} cell(s) outside, e.g. cell {off[0].Cell} weighs {off[0].Weight:0.##}.";
        }
        if (timeUp) message += $" The time limit ({Options.TimeLimit.TotalSeconds:0.#} s) was reached; a longer --time-limit or a wider tolerance may help.";
        return new PartitionResult(cell, k, ev, constraint, message, sw.Elapsed, timeUp, starts);
    }
}
