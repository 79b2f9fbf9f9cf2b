using GridMap.Domain.Graphs;

namespace GridMap.Domain.Partitioning;

/// <summary>Statistics of one cell: weight, deviation from the target (fraction, +0.03 = 3% heavy),
/// Polsby-Popper compactness 4πA/P² in (0, 1], unit count, contiguity, area (m²) and perimeter (m). <see cref="Oversize"/>:
/// the cell is above the upper bound because it holds a unit that alone weighs more than the bound — unavoidable with
/// whole units, so reported but not a balance violation. <see cref="Undersize"/>: below the lower bound where the engine
/// proved no cell within the bounds can hold its units (see <see cref="PartitionResult.UndersizeCells"/>), likewise reported.</summary>
public sealed record CellStats(int Cell, double Weight, double Deviation, double PolsbyPopper, int UnitCount, bool Contiguous,
    double Area, double Perimeter, bool Locked = false, bool Oversize = false, bool Undersize = false);

/// <summary>An evaluated plan: per-cell statistics and totals, judged against the weight bounds (oversize cells — see
/// <see cref="CellStats.Oversize"/> — are counted in <see cref="OversizeCells"/> and do not break <see cref="WithinBounds"/>).</summary>
public sealed record PlanEvaluation(IReadOnlyList<CellStats> Cells, double MeanPolsbyPopper, int CutEdges, double LowerBound,
    double UpperBound, double Target, bool AllContiguous, bool WithinBounds, int UnassignedUnits)
{
    /// <summary>Cells over the upper bound only because one of their units alone is.</summary>
    public int OversizeCells => Cells.Count(c => c.Oversize);
    /// <summary>Cells under the lower bound that the engine proved unavoidable.</summary>
    public int UndersizeCells => Cells.Count(c => c.Undersize);
    /// <summary>Every unit assigned, every cell contiguous and within bounds.</summary>
    public bool IsFeasible => AllContiguous && WithinBounds && UnassignedUnits == 0;
    /// <summary>Largest absolute deviation from the target over the cells, as a fraction.</summary>
    public double MaxDeviation => Cells.Count == 0 ? 0 : Cells.Max(c => Math.Abs(c.Deviation));
}

/// <summary>
/// Evaluates any assignment of units to cells on a <see cref="UnitGraph"/> — the engine's own plans and
/// other tools' (gpmetis) alike, so that both are measured the same way. Perimeters come from the shared
/// boundary lengths: P(cell) = Σ unit perimeters − 2 × Σ shared lengths inside the cell.
/// </summary>
public static class PlanEvaluator
{
    /// <summary>Evaluates <paramref name="cell"/> (cell per unit, −1 = unassigned) with K = max cell + 1.
    /// <paramref name="undersizeCells"/>: cells below the lower bound known to be unavoidable (not a balance violation).</summary>
    public static PlanEvaluation Evaluate(UnitGraph graph, IReadOnlyList<int> cell, double lowerBound, double upperBound,
        double target, IReadOnlySet<int>? lockedCells = null, IReadOnlySet<int>? undersizeCells = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (cell.Count != graph.Count) throw new ArgumentException($"plan has {cell.Count} entries for {graph.Count} units.");
        var k = cell.Count == 0 ? 0 : cell.Max() + 1;
        var w = new double[k]; var a = new double[k]; var p = new double[k]; var n = new int[k]; var heaviest = new double[k];
        var unassigned = 0;
        for (var u = 0; u < graph.Count; u++)
        {
            var c = cell[u];
            if (c < 0) { unassigned++; continue; }
            w[c] += graph.Weights[u]; a[c] += graph.Areas[u]; p[c] += graph.Perimeters[u]; n[c]++;
            heaviest[c] = Math.Max(heaviest[c], graph.Weights[u]);
        }
        var cut = 0;
        var off = graph.Offsets; var tg = graph.Targets; var sh = graph.Shared; var con = graph.ConnectedFlags;
        for (var u = 0; u < graph.Count; u++)
        {
            if (cell[u] < 0) continue;
            for (var e = off[u]; e < off[u + 1]; e++)
            {
                var v = tg[e];
                if (v <= u) continue;
                if (cell[v] == cell[u]) p[cell[u]] -= 2 * sh[e];
                else if (con[e] && cell[v] >= 0) cut++;
            }
        }
        var contiguous = Contiguity(graph, cell, k);
        var stats = new List<CellStats>(k);
        var within = true;
        for (var c = 0; c < k; c++)
        {
            if (n[c] == 0) continue;
            var locked = lockedCells?.Contains(c) ?? false;
            var pp = p[c] > 0 ? 4 * Math.PI * a[c] / (p[c] * p[c]) : 0;
            var over = Above(heaviest[c], upperBound);
            var below = w[c] < lowerBound * (1 - 1e-12) - 1e-9;
            var under = below && (undersizeCells?.Contains(c) ?? false);
            stats.Add(new CellStats(c, w[c], target > 0 ? w[c] / target - 1 : 0, pp, n[c], contiguous[c], a[c], p[c], locked, over, under));
            if (!locked && !over && !under && (below || Above(w[c], upperBound))) within = false;
        }
        return new PlanEvaluation(stats, stats.Count == 0 ? 0 : stats.Average(s => s.PolsbyPopper), cut, lowerBound, upperBound, target,
            stats.All(s => s.Contiguous), within, unassigned);
    }

    /// <summary>True when <paramref name="weight"/> exceeds <paramref name="upperBound"/> beyond rounding.</summary>
    internal static bool Above(double weight, double upperBound) => weight > upperBound * (1 + 1e-12) + 1e-9;

    /// <summary>Per cell: are its units connected through connected edges inside the cell?</summary>
    internal static bool[] Contiguity(UnitGraph graph, IReadOnlyList<int> cell, int k)
    {
        var components = new int[k];
        var connectivity = new Connectivity(graph.Offsets, graph.Targets);
        connectivity.BeginPass();
        for (var s = 0; s < graph.Count; s++)
        {
            if (cell[s] < 0 || connectivity.Seen(s)) continue;
            components[cell[s]]++;
            connectivity.Flood(s, new SameCell(graph.ConnectedFlags, cell, cell[s]));
        }
        return components.Select(c => c <= 1).ToArray();
    }

    /// <summary>Follows connecting edges between units of one cell.</summary>
    private readonly struct SameCell(bool[] connecting, IReadOnlyList<int> cell, int c) : IEdgeFilter
    {
        private readonly bool[] _connecting = connecting;
        private readonly IReadOnlyList<int> _cell = cell;
        private readonly int _c = c;
        public bool Follow(int from, int edge, int to) => _connecting[edge] && _cell[to] == _c;
    }
}
