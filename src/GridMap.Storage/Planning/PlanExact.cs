using GridMap.Domain.Partitioning.Exact;

namespace GridMap.Storage.Planning;

/// <summary>
/// Exact mode's answer for a plan (the same shape in the API, the stored plan and the CLI's <c>--report</c>): status
/// <c>optimal | feasible | impossible | unknown</c> (unknown = time ran out; never read it as impossible); gap (0–1, 0 when
/// optimal, null without a plan); objective of the exact plan and of the heuristic's plan on the same measure
/// (households-weighted mean distance from a compound to its cell's centre compound, metres, lower = more compact; null
/// when absent); reason (zh-CN with English in brackets; for impossible, e.g. "300–500 无可行方案；260–500 有…"); the
/// narrowest widened window that admits a plan (impossible answers; null when none was found in time); seconds spent.
/// </summary>
public sealed record PlanExact(string Status, double? Gap, double? Objective, double? HeuristicObjective, string? Reason,
    PlanExactWindow? SmallestWindow, double Seconds)
{
    /// <summary>The wire form of a domain <see cref="ExactResult"/>.</summary>
    public static PlanExact From(ExactResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new PlanExact(r.StatusName, r.Gap, r.Objective, r.HeuristicObjective, r.Reason,
            r.SmallestWindow is { } w ? new PlanExactWindow(w.MinHouseholds, w.MaxHouseholds) : null, r.Seconds);
    }
}

/// <summary>A households window per cell, minimum ≤ maximum.</summary>
public sealed record PlanExactWindow(double MinHouseholds, double MaxHouseholds);
