namespace GridMap.Domain.Partitioning.Exact;

/// <summary>The answer of exact mode. Only <see cref="Optimal"/> and <see cref="Impossible"/> are proofs;
/// <see cref="Unknown"/> (time ran out) must never be presented as impossible.</summary>
public enum ExactStatus
{
    /// <summary>A plan within the bounds, proved optimal for the objective.</summary>
    Optimal,
    /// <summary>A plan within the bounds, not proved optimal (see <see cref="ExactResult.Gap"/>).</summary>
    Feasible,
    /// <summary>Proved: no plan of whole, contiguous cells within the bounds exists (see <see cref="ExactResult.Reason"/>).</summary>
    Impossible,
    /// <summary>The time limit ran out before a plan was found or its absence proved.</summary>
    Unknown,
}

/// <summary>A household window per cell [<paramref name="MinHouseholds"/>, <paramref name="MaxHouseholds"/>] (weight units).</summary>
public sealed record ExactWindow(double MinHouseholds, double MaxHouseholds);

/// <summary>
/// What exact mode found: the status, the relative gap between the plan's objective and the proved bound (0 when
/// optimal, null without a plan), the objective of the exact plan and of the heuristic's plan on the same measure
/// (households-weighted mean distance from a unit's centroid to its cell's centre unit, metres; lower is more compact),
/// for an impossible answer the reason and the smallest window that admits a plan (null when none was found in time),
/// and the wall-clock seconds spent. <see cref="Plan"/> is the exact plan (optimal or feasible), evaluated as the
/// heuristic's plans are; null otherwise.
/// </summary>
public sealed class ExactResult
{
    public required ExactStatus Status { get; init; }
    /// <summary>Relative gap (objective − bound) / objective, in [0, 1]; 0 when optimal; null without a plan.</summary>
    public double? Gap { get; init; }
    /// <summary>Households-weighted mean distance to the cell centre of the exact plan, metres; null without a plan.</summary>
    public double? Objective { get; init; }
    /// <summary>The same measure on the heuristic's plan (whether or not it met the bounds); null when none was given.</summary>
    public double? HeuristicObjective { get; init; }
    /// <summary>Why the answer is what it is (zh-CN, English in brackets); null for a plain optimal answer.</summary>
    public string? Reason { get; init; }
    /// <summary>Impossible answers: the narrowest widening of the bounds that admits a plan (null when not found in time).</summary>
    public ExactWindow? SmallestWindow { get; init; }
    /// <summary>True when <see cref="SmallestWindow"/> is proved the narrowest (false: it admits a plan, a narrower one may too).</summary>
    public bool SmallestWindowProved { get; init; }
    /// <summary>Wall-clock seconds of the whole exact run (both solves).</summary>
    public required double Seconds { get; init; }
    /// <summary>Free units (not in locked cells) the model covered.</summary>
    public int Units { get; init; }
    /// <summary>The exact plan (Optimal or Feasible), null otherwise.</summary>
    public PartitionResult? Plan { get; init; }

    /// <summary>The status as the JSON reports spell it: optimal | feasible | impossible | unknown.</summary>
    public string StatusName => Status switch
    {
        ExactStatus.Optimal => "optimal",
        ExactStatus.Feasible => "feasible",
        ExactStatus.Impossible => "impossible",
        _ => "unknown",
    };
}
