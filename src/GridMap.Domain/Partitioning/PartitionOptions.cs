namespace GridMap.Domain.Partitioning;

/// <summary>What the search optimises once every hard constraint holds.</summary>
public enum PartitionObjective
{
    /// <summary>Maximise the mean Polsby-Popper compactness (4πA/P²) of the cells.</summary>
    Compact,
    /// <summary>Minimise the number of adjacency edges between different cells.</summary>
    CutEdges,
}

/// <summary>How barrier lines (arterial roads, rivers: adjacency edges that do not connect) bind the cells.</summary>
public enum BarrierMode
{
    /// <summary>No cell ever crosses a barrier; a group of units fenced in by barriers that cannot be divided into
    /// whole cells within the bounds makes the partition fail. The command line's default.</summary>
    Hard,
    /// <summary>Barriers hold wherever possible: a fenced-in group that cannot be divided into whole cells within the
    /// bounds is joined to a neighbouring group across one barrier-crossing edge (the shortest hop between unit
    /// centres, preferring joins that make the union divisible), repeated until every group is divisible. The crossings
    /// used are reported in <see cref="PartitionResult.BarrierCrossings"/>; only they may hold a cell together.</summary>
    Soft,
}

/// <summary>One step of progress, for progress bars: a stage name and the fraction done (0–1).</summary>
public sealed record PartitionProgress(string Stage, double Fraction, double? BestObjective = null);

/// <summary>
/// Parameters of a partition. Balance is either <see cref="Cells"/> = K with ±<see cref="Tolerance"/>
/// of total/K, or a window <see cref="MinWeight"/>–<see cref="MaxWeight"/> per cell with K chosen
/// automatically; in window mode a unit heavier than the maximum becomes a cell of its own (an oversize cell,
/// reported in <see cref="PartitionResult.OversizeCells"/>), since a unit cannot be split. Runs are deterministic for a given <see cref="Seed"/> as long as the
/// <see cref="TimeLimit"/> is not reached (the work per start and the number of starts do not depend on time).
/// </summary>
public sealed class PartitionOptions
{
    /// <summary>Number of cells K (≥ 1), including locked cells; null in window mode.</summary>
    public int? Cells { get; init; }
    /// <summary>Relative tolerance on cell weight around total/K, in (0, 1); default 0.05 (±5%).</summary>
    public double Tolerance { get; init; } = 0.05;
    /// <summary>Minimum weight of a cell (window mode), ≥ 0.</summary>
    public double? MinWeight { get; init; }
    /// <summary>Maximum weight of a cell (window mode), &gt; <see cref="MinWeight"/>.</summary>
    public double? MaxWeight { get; init; }
    /// <summary>Objective; default compactness.</summary>
    public PartitionObjective Objective { get; init; } = PartitionObjective.Compact;
    /// <summary>Keep every cell inside one parent area (<see cref="UnitGraph.Parents"/>).</summary>
    public bool Nest { get; init; }
    /// <summary>Barriers: hard (never crossed; the default) or soft (crossed only where a group could not be divided otherwise).</summary>
    public BarrierMode Barriers { get; init; } = BarrierMode.Hard;
    /// <summary>Random seed; the same seed gives the same plan.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Wall-clock limit for the search; default 10 s.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Independent starts (multi-start); 0 = chosen from the instance size.</summary>
    public int Starts { get; init; }
    /// <summary>How many starts run at once on separate cores; 0 = one per processor. The plan does not depend on it:
    /// every start has its own seed and the winner is chosen in start order, as if they had run one after another.</summary>
    public int Parallelism { get; init; }
    /// <summary>Previous plan (unit id → cell) to start from (warm start) or to take locked cells from.</summary>
    public IReadOnlyDictionary<string, int>? InitialPlan { get; init; }
    /// <summary>Cells of <see cref="InitialPlan"/> kept exactly as they are.</summary>
    public IReadOnlySet<int> LockedCells { get; init; } = new HashSet<int>();
    /// <summary>Improve a warm start only by repairing it (fewest changes); default true, for stable plans.</summary>
    public bool WarmStartRepairOnly { get; init; } = true;
    /// <summary>Window mode on groups of up to 400 units: finish with the p-median polish (Search/PMedianPolish), which
    /// lowers the households-weighted distance to each cell's centre compound (exact mode's objective) and takes
    /// precedence over Polsby-Popper there; default true. False keeps the plan that maximises Polsby-Popper.</summary>
    public bool PMedianPolish { get; init; } = true;

    /// <summary>A copy of these options with another <see cref="TimeLimit"/> (e.g. what is left of a caller's own limit
    /// after building the graph).</summary>
    public PartitionOptions WithTimeLimit(TimeSpan limit) => new()
    {
        Cells = Cells, Tolerance = Tolerance, MinWeight = MinWeight, MaxWeight = MaxWeight, Objective = Objective, Nest = Nest,
        Barriers = Barriers, Seed = Seed, TimeLimit = limit, Starts = Starts, Parallelism = Parallelism, InitialPlan = InitialPlan,
        LockedCells = LockedCells, WarmStartRepairOnly = WarmStartRepairOnly, PMedianPolish = PMedianPolish,
    };

    /// <summary>True in window mode (min/max per cell, automatic K).</summary>
    public bool IsWindow => MinWeight is not null || MaxWeight is not null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first impossible value.</summary>
    public void Validate()
    {
        if (IsWindow)
        {
            if (Cells is not null) throw new ArgumentException("give either the number of cells or a min/max window, not both.");
            if (MinWeight is null || MaxWeight is null) throw new ArgumentException("a window needs both a minimum and a maximum cell weight.");
            if (!(MinWeight >= 0)) throw new ArgumentException($"minimum cell weight {MinWeight} must be ≥ 0.");
            if (!(MaxWeight > MinWeight)) throw new ArgumentException($"maximum cell weight {MaxWeight} must exceed the minimum {MinWeight}.");
        }
        else
        {
            if (Cells is null) throw new ArgumentException("give the number of cells (--cells) or a min/max window (--min/--max).");
            if (Cells < 1) throw new ArgumentException($"number of cells {Cells} must be at least 1.");
            if (!(Tolerance > 0 && Tolerance < 1)) throw new ArgumentException($"tolerance {Tolerance} must be between 0 and 1 (0.05 = ±5%).");
        }
        if (TimeLimit <= TimeSpan.Zero) throw new ArgumentException($"time limit {TimeLimit} must be positive.");
        if (Starts < 0) throw new ArgumentException($"starts {Starts} must be ≥ 0.");
        if (Parallelism < 0) throw new ArgumentException($"parallelism {Parallelism} must be ≥ 0.");
        if (LockedCells.Count > 0 && InitialPlan is null) throw new ArgumentException("locked cells need the initial plan they come from.");
    }
}
