namespace GridMap.Domain.Partitioning;

/// <summary>Which hard constraint a plan could not meet.</summary>
public enum PartitionConstraint
{
    None,
    /// <summary>Cell weights outside ±tolerance or the min/max window.</summary>
    Balance,
    /// <summary>A cell (or a component of the adjacency) cannot be held together.</summary>
    Contiguity,
    /// <summary>Nesting: a parent area cannot be divided into whole cells within the bounds.</summary>
    Nesting,
    /// <summary>Locked cells or the initial plan are inconsistent with the units or K.</summary>
    LockedCells,
    /// <summary>The time limit ran out before any feasible plan was found.</summary>
    TimeLimit,
}

/// <summary>A cell made around a unit heavier than the window's maximum (window mode), with the units that joined it
/// because they could not form a cell of their own (fenced in between the oversize unit and barriers or parent limits).</summary>
public sealed record OversizeCell(int Cell, string UnitId, double UnitWeight, double CellWeight, IReadOnlyList<string> AttachedUnits);

/// <summary>A cell below the window's minimum that no plan could avoid (window mode): a unit no neighbour can join within
/// the maximum, or (soft barriers) a group lighter than the minimum with nothing to join. <see cref="Weight"/> is the cell's.</summary>
public sealed record UndersizeCell(int Cell, IReadOnlyList<string> Units, double Weight);

/// <summary>A barrier-crossing adjacency edge (soft barriers) that the plan may use to hold a cell together: the two
/// units (ids, input order indices) and their shared boundary length in metres.</summary>
public sealed record BarrierCrossing(int A, int B, string UnitA, string UnitB, double SharedLength);

/// <summary>
/// The outcome of a partition: the cell (0-based) of every unit in input order, evaluated statistics,
/// and — when no plan meets every hard constraint — which constraint failed and why. A result with
/// <see cref="IsFeasible"/> false must not be published.
/// </summary>
public sealed class PartitionResult
{
    internal PartitionResult(int[] assignment, int cellCount, PlanEvaluation? evaluation, PartitionConstraint failed, string? message,
        TimeSpan elapsed, bool timeLimitReached, int starts)
    {
        Assignment = assignment; CellCount = cellCount; Evaluation = evaluation; FailedConstraint = failed; Message = message;
        Elapsed = elapsed; TimeLimitReached = timeLimitReached; Starts = starts;
    }

    /// <summary>Cell of each unit (input order), 0..<see cref="CellCount"/>−1; −1 only in infeasible results.</summary>
    public IReadOnlyList<int> Assignment { get; }
    /// <summary>Number of cells K.</summary>
    public int CellCount { get; }
    /// <summary>Statistics of the plan (null when no plan could even be built).</summary>
    public PlanEvaluation? Evaluation { get; }
    /// <summary>True when every unit is assigned, every cell contiguous and within bounds.</summary>
    public bool IsFeasible => FailedConstraint == PartitionConstraint.None && Evaluation is { IsFeasible: true };
    /// <summary>The constraint that failed, or None.</summary>
    public PartitionConstraint FailedConstraint { get; }
    /// <summary>Human-readable explanation of the failure (null when feasible).</summary>
    public string? Message { get; }
    /// <summary>Wall-clock time of the search.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>True when the time limit cut the search short (the plan is then not guaranteed reproducible).</summary>
    public bool TimeLimitReached { get; }
    /// <summary>Starts completed (multi-start).</summary>
    public int Starts { get; }
    /// <summary>Cells built around units heavier than the maximum (window mode); counted as feasible, flagged in the evaluation.</summary>
    public IReadOnlyList<OversizeCell> OversizeCells { get; init; } = [];
    /// <summary>Cells below the minimum that no plan could avoid (window mode); counted as feasible, flagged in the evaluation.</summary>
    public IReadOnlyList<UndersizeCell> UndersizeCells { get; init; } = [];
    /// <summary>Barrier-crossing edges the plan was allowed to use (soft barriers); empty with hard barriers.</summary>
    public IReadOnlyList<BarrierCrossing> BarrierCrossings { get; init; } = [];
    /// <summary>Human-readable notes on a feasible plan that departs from the ideal (oversize cells, crossed barriers).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
