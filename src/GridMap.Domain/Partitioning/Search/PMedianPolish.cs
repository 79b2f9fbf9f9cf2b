namespace GridMap.Domain.Partitioning.Search;

/// <summary>
/// The p-median polish (issue 12 §1): lowers exact mode's objective — Σ households × distance from each unit's centroid
/// to its cell's centre unit, the centre being the member that makes the sum smallest — on a finished, feasible plan of
/// one <see cref="SubProblem"/>, keeping every hard rule. One move, repeated until none gains: take a connected set of
/// one to <see cref="MaxRegionCells"/> neighbouring cells (at most <see cref="MaxRegionUnits"/> units together) and
/// re-divide their units optimally by dynamic programming over subsets — every division into contiguous blocks (through
/// connecting edges inside the region) each within the bounds; in window mode into any number of blocks, with K fixed
/// into as many as before. Cells outside the region do not change, so contiguity, the bounds and the count of cells
/// hold everywhere; nesting holds because a sub-problem never spans two parents; locked units are never in one.
/// Single-unit moves, swaps and centre re-selection between two cells are special cases of the re-division of a pair.
/// When no such region gains, a wide phase tries sets of up to <see cref="WideRegionCells"/> cells holding at most
/// <see cref="WideRegionUnits"/> units — where the slack of several cells makes room for one more cell.
/// <para>Deterministic: regions are tried in a fixed order (sorted cell sets, smallest first), the first strict gain is
/// applied and the scan starts again; a region whose units were already found optimal is not solved twice. Only
/// <paramref>stop</paramref> (the time limit) can cut it short — the plan is then still feasible, just less polished.</para>
/// </summary>
internal static class PMedianPolish
{
    /// <summary>Largest sub-problem the partitioner polishes (window mode): the demo streets have 1–150 compounds.</summary>
    public const int MaxUnits = 400;
    /// <summary>Most units re-divided at once (the subset DP costs 3^units).</summary>
    public const int MaxRegionUnits = 12;
    /// <summary>Most cells re-divided at once.</summary>
    public const int MaxRegionCells = 3;
    /// <summary>The wide phase, once no region of up to <see cref="MaxRegionCells"/> cells gains: up to this many cells…</summary>
    public const int WideRegionCells = 6;
    /// <summary>…holding at most this many units (a street's cells hold 1–3 compounds: room for one more cell)…</summary>
    public const int WideRegionUnits = 12;
    /// <summary>…within this much work per plan (Σ 3^units over the regions solved; about a second): counted, not timed,
    /// so that the plan does not depend on the machine's speed. Regions with fewer units go first.</summary>
    public const long WideWork = 400_000_000;

    /// <summary>Σ weight × distance to the best centre of one cell (its member minimising the sum).</summary>
    public static double CellCost(SubProblem g, IReadOnlyList<int> members)
    {
        var best = double.PositiveInfinity;
        foreach (var c in members)
        {
            double s = 0;
            foreach (var i in members) s += g.W[i] * Dist(g, i, c);
            if (s < best) best = s;
        }
        return members.Count == 0 ? 0 : best;
    }

    /// <summary>Σ over the cells of <paramref name="cell"/> (0 … K − 1, every unit assigned) of <see cref="CellCost"/>.</summary>
    public static double Cost(SubProblem g, int[] cell)
    {
        var cells = Cells(cell);
        return cells.Sum(c => CellCost(g, c));
    }

    private static double Dist(SubProblem g, int i, int j)
    {
        var dx = g.X[i] - g.X[j]; var dy = g.Y[i] - g.Y[j];
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private static List<List<int>> Cells(int[] cell)
    {
        var k = cell.Length == 0 ? 0 : cell.Max() + 1;
        var cells = new List<List<int>>(k);
        for (var c = 0; c < k; c++) cells.Add([]);
        for (var u = 0; u < cell.Length; u++) cells[cell[u]].Add(u);
        cells.RemoveAll(c => c.Count == 0);
        return cells;
    }

    /// <summary>True when a cell may weigh <paramref name="w"/>: the bounds as <see cref="PlanEvaluator"/> judges them.</summary>
    internal static bool Within(double w, double lower, double upper) => !(w < lower * (1 - 1e-12) - 1e-9) && !PlanEvaluator.Above(w, upper);

    /// <summary>
    /// Polishes <paramref name="cell"/> (a feasible plan: cells 0 … K − 1, contiguous, within [lower, upper]) in place and
    /// returns the number of cells afterwards (renumbered 0 … K′ − 1 by their lowest unit; K′ = K when
    /// <paramref name="fixedCount"/>). The cost never rises; the bounds and contiguity hold after every step.
    /// </summary>
    public static int Polish(SubProblem g, int[] cell, double lower, double upper, bool fixedCount, Func<bool> stop,
        int maxRegionUnits = MaxRegionUnits, int maxRegionCells = MaxRegionCells, int wideCells = WideRegionCells, int wideUnits = WideRegionUnits)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(cell);
        if (g.N == 0) return 0;
        var cells = Cells(cell);
        var cost = cells.Select(c => CellCost(g, c)).ToList();
        var solved = new HashSet<string>();
        var unlimited = long.MaxValue;
        var wideWork = WideWork;
        // Small regions until none gains; then one wide region (more cells) at a time, back to small ones.
        while (!stop())
        {
            if (Improve(g, cells, cost, solved, lower, upper, fixedCount, stop, 1, maxRegionCells, maxRegionUnits, ref unlimited)) continue;
            if (wideCells > maxRegionCells && wideWork > 0
                && Improve(g, cells, cost, solved, lower, upper, fixedCount, stop, maxRegionCells + 1, wideCells, wideUnits, ref wideWork)) continue;
            break;
        }
        // Number the cells by their lowest unit: the plan does not depend on the order the moves left them in.
        cells.Sort((a, b) => a.Min().CompareTo(b.Min()));
        for (var c = 0; c < cells.Count; c++) foreach (var u in cells[c]) cell[u] = c;
        return cells.Count;
    }

    /// <summary>Tries the regions of <paramref name="minCells"/> … <paramref name="maxCells"/> cells in order and applies the
    /// first strict gain; false when none gains.</summary>
    private static bool Improve(SubProblem g, List<List<int>> cells, List<double> cost, HashSet<string> solved, double lower, double upper,
        bool fixedCount, Func<bool> stop, int minCells, int maxCells, int maxUnits, ref long work)
    {
        var cellOf = new int[g.N];
        for (var c = 0; c < cells.Count; c++) foreach (var u in cells[c]) cellOf[u] = c;
        var regions = Regions(g, cells, cellOf, maxCells, maxUnits).Where(r => r.Length >= minCells)
            .Select((r, i) => (Region: r, Units: r.Sum(c => cells[c].Count), Order: i)).OrderBy(x => x.Units).ThenBy(x => x.Order).Select(x => x.Region);
        foreach (var region in regions)
        {
            if (stop() || work <= 0) return false;
            var units = region.SelectMany(c => cells[c]).Order().ToArray();
            var key = string.Join(',', units) + (fixedCount ? $"#{region.Length}" : "");
            if (solved.Contains(key)) continue;
            var current = region.Sum(c => cost[c]);
            if (work != long.MaxValue) work -= (long)Math.Pow(3, units.Length);
            var (best, parts) = Solve(g, units, lower, upper, fixedCount ? region.Length : -1);
            if (parts is not null && best < current - 1e-9 * (1 + current))
            {
                foreach (var c in region.OrderDescending()) { cells.RemoveAt(c); cost.RemoveAt(c); }
                foreach (var p in parts) { cells.Add(p); cost.Add(CellCost(g, p)); }
                return true;
            }
            solved.Add(key);
        }
        return false;
    }

    /// <summary>
    /// Polishes each feasible plan in <paramref name="plans"/> (distinct ones once, in order) and returns the cheapest
    /// result with its number of cells — the first of equals, so the winner does not depend on timing.
    /// </summary>
    public static (int[] Cell, int K) Best(SubProblem g, IEnumerable<int[]> plans, double lower, double upper, bool fixedCount, Func<bool> stop)
    {
        (int[] Cell, int K)? best = null; var bestCost = double.PositiveInfinity;
        var seen = new HashSet<string>();
        var trace = Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_TRACE") is not null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var plan in plans)
        {
            if (best is not null && stop()) break;
            if (!seen.Add(string.Join(',', plan))) continue;
            var cell = (int[])plan.Clone();
            var k = Polish(g, cell, lower, upper, fixedCount, stop, wideCells: 0);
            var c = Cost(g, cell);
            if (trace) Console.Error.WriteLine($"  p-median polish: {g.N} units, {plan.Max() + 1} → {k} cells, cost {Cost(g, plan):0} → {c:0}, {clock.Elapsed.TotalSeconds:0.000}s so far");
            if (best is null || c < bestCost - 1e-9 * (1 + bestCost)) { best = (cell, k); bestCost = c; }
        }
        if (best is not { } winner) throw new ArgumentException("no plan to polish.");
        // The wide phase on the winner only: it costs more per plan.
        var kWide = Polish(g, winner.Cell, lower, upper, fixedCount, stop);
        if (trace) Console.Error.WriteLine($"  p-median polish, wide phase: {winner.K} → {kWide} cells, cost {bestCost:0} → {Cost(g, winner.Cell):0}, {clock.Elapsed.TotalSeconds:0.000}s");
        return (winner.Cell, kWide);
    }

    /// <summary>
    /// Window mode: the grouping (<see cref="UnitGrouper"/>) attaches a whole group that it cannot divide to a neighbouring
    /// oversize cell. Often part of the group can form cells within the window once a few units join the oversize cell:
    /// for each oversize cell of at most <see cref="MaxRegionUnits"/> + 2 units, the division of its attached units
    /// into contiguous cells within the window that leaves the fewest units attached (then the least distance; exact
    /// mode's rule) by the same subset DP; the oversize cell stays connected. Detached cells take the numbers from
    /// <paramref name="nextCell"/> on, and leave <paramref name="attached"/> (so the report lists what is still
    /// attached). Returns the next free cell number.
    /// </summary>
    internal static int DetachFromOversize(UnitGraph graph, List<(int Unit, List<int> Attached)> attached, int[] cell, int nextCell,
        double lower, double upper, Func<int, int, bool> keepEdge)
    {
        foreach (var (unit, members) in attached)
        {
            if (members.Count == 0 || members.Count + 1 > MaxRegionUnits + 2) continue;
            var sub = new SubProblem(graph, [unit, .. members], keepEdge);
            var (_, parts) = Solve(sub, Enumerable.Range(0, sub.N).ToList(), lower, upper, -1, exempt: 0);
            if (parts is null) continue;
            foreach (var part in parts.Where(p => !p.Contains(0)).OrderBy(p => p.Min()))
            {
                foreach (var i in part) { cell[sub.Global[i]] = nextCell; members.Remove(sub.Global[i]); }
                nextCell++;
            }
        }
        return nextCell;
    }

    /// <summary>Connected sets of 1 … <paramref name="maxCells"/> cells (adjacent through connecting edges) with at most
    /// <paramref name="maxUnits"/> units, as sorted index arrays: by size, then lexicographically.</summary>
    private static List<int[]> Regions(SubProblem g, List<List<int>> cells, int[] cellOf, int maxCells, int maxUnits)
    {
        var k = cells.Count;
        var nb = new SortedSet<int>[k];
        for (var c = 0; c < k; c++) nb[c] = [];
        for (var u = 0; u < g.N; u++)
            for (var e = g.Off[u]; e < g.Off[u + 1]; e++)
                if (g.Conn[e] && cellOf[g.Nbr[e]] != cellOf[u]) nb[cellOf[u]].Add(cellOf[g.Nbr[e]]);
        var result = new List<int[]>();
        var layer = Enumerable.Range(0, k).Where(c => cells[c].Count <= maxUnits).Select(c => new[] { c }).ToList();
        for (var size = 1; size <= maxCells && layer.Count > 0; size++)
        {
            result.AddRange(layer);
            if (size == maxCells) break;
            var next = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
            foreach (var set in layer)
            {
                var count = set.Sum(c => cells[c].Count);
                foreach (var c in set)
                    foreach (var d in nb[c])
                    {
                        if (set.Contains(d) || count + cells[d].Count > maxUnits) continue;
                        var grown = set.Append(d).Order().ToArray();
                        next.TryAdd(string.Join(',', grown.Select(x => x.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))), grown);
                    }
            }
            layer = [.. next.Values];
        }
        return result;
    }

    /// <summary>
    /// The cheapest division of <paramref name="units"/> into contiguous blocks each within [lower, upper] — into exactly
    /// <paramref name="count"/> blocks when count ≥ 1 — by dynamic programming over subsets (the block holding the
    /// lowest remaining unit is chosen first, so each division is counted once). Null parts when none exists.
    /// </summary>
    internal static (double Cost, List<List<int>>? Parts) Solve(SubProblem g, IReadOnlyList<int> units, double lower, double upper, int count,
        int exempt = -1)
    {
        var m = units.Count;
        if (m > 20) throw new ArgumentException($"{m} units are too many for the subset DP.");
        var full = (1 << m) - 1;
        var local = new Dictionary<int, int>(m);
        for (var i = 0; i < m; i++) local[units[i]] = i;
        var adj = new int[m];
        for (var i = 0; i < m; i++)
        {
            var u = units[i];
            for (var e = g.Off[u]; e < g.Off[u + 1]; e++)
                if (g.Conn[e] && local.TryGetValue(g.Nbr[e], out var j)) adj[i] |= 1 << j;
        }
        var d = new double[m, m];
        for (var i = 0; i < m; i++) for (var j = 0; j < m; j++) d[i, j] = Dist(g, units[i], units[j]);
        // Block cost per subset: +∞ unless connected and within the bounds. The block holding units[exempt] (an
        // oversize unit) has no bounds but pays a penalty per other member above any distance: as few as possible join it.
        var exemptBit = exempt >= 0 ? 1 << exempt : 0;
        var penalty = 1.0;
        for (var i = 0; i < m; i++) for (var j = 0; j < m; j++) penalty += g.W[units[i]] * d[i, j];
        var weight = new double[full + 1];
        var block = new double[full + 1];
        for (var mask = 1; mask <= full; mask++)
        {
            var low = System.Numerics.BitOperations.TrailingZeroCount(mask);
            weight[mask] = weight[mask & (mask - 1)] + g.W[units[low]];
            block[mask] = double.PositiveInfinity;
            if ((mask & exemptBit) == 0 && !Within(weight[mask], lower, upper)) continue;
            var reach = 1 << low;
            while (true)
            {
                var grow = reach;
                for (var r = reach; r != 0; r &= r - 1) grow |= adj[System.Numerics.BitOperations.TrailingZeroCount(r)] & mask;
                if (grow == reach) break;
                reach = grow;
            }
            if (reach != mask) continue;
            var best = double.PositiveInfinity;
            for (var cs = mask; cs != 0; cs &= cs - 1)
            {
                var c = System.Numerics.BitOperations.TrailingZeroCount(cs);
                double s = 0;
                for (var bits = mask; bits != 0; bits &= bits - 1)
                {
                    var i = System.Numerics.BitOperations.TrailingZeroCount(bits);
                    s += g.W[units[i]] * d[i, c];
                }
                if (s < best) best = s;
            }
            block[mask] = best + ((mask & exemptBit) != 0 ? penalty * (System.Numerics.BitOperations.PopCount((uint)mask) - 1) : 0);
        }

        // f[mask, j]: cheapest division of mask into j blocks (j = 0 stands for "any number" when count < 1).
        var layers = count >= 1 ? count + 1 : 1;
        var f = new double[(full + 1) * layers];
        var pick = new int[(full + 1) * layers];
        Array.Fill(f, double.PositiveInfinity);
        f[0] = 0;
        for (var mask = 1; mask <= full; mask++)
        {
            var low = mask & -mask;
            var rest = mask ^ low;
            for (var s = rest; ; s = (s - 1) & rest)
            {
                var sub = s | low;
                var bc = block[sub];
                if (!double.IsPositiveInfinity(bc))
                {
                    var remaining = mask ^ sub;
                    if (count < 1)
                    {
                        var v = bc + f[remaining];
                        if (v < f[mask]) { f[mask] = v; pick[mask] = sub; }
                    }
                    else
                        for (var j = 1; j <= count; j++)
                        {
                            var v = bc + f[remaining * layers + j - 1];
                            if (v < f[mask * layers + j]) { f[mask * layers + j] = v; pick[mask * layers + j] = sub; }
                        }
                }
                if (s == 0) break;
            }
        }
        var jFull = count >= 1 ? count : 0;
        var total = f[full * layers + jFull];
        if (double.IsPositiveInfinity(total)) return (total, null);
        var parts = new List<List<int>>();
        for (int mask = full, j = jFull; mask != 0;)
        {
            var sub = pick[mask * layers + j];
            var part = new List<int>();
            for (var r = sub; r != 0; r &= r - 1) part.Add(units[System.Numerics.BitOperations.TrailingZeroCount(r)]);
            parts.Add(part);
            mask ^= sub;
            if (count >= 1) j--;
        }
        return (total, parts);
    }
}
