using System.Globalization;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Exact;

namespace GridMap.Application.Planning;

/// <summary>
/// Exact mode in the planner: where the heuristic found no plan meeting every bound and the area is small enough
/// (≤ <see cref="ExactPartitioner.MaxUnits"/> free compounds), CP-SAT either finds a plan within the window (which then
/// replaces the heuristic's best effort), proves that none exists (with the narrowest window that admits one), or says
/// that its time ran out — never presented as impossible. The request's time limit covers the whole job: exact mode gets
/// what the heuristic left of it (at least <see cref="ExactPartitioner.MinShare"/> of the limit).
/// </summary>
public static class PlanExactMode
{
    /// <summary>True when exact mode runs after <paramref name="heuristic"/>: it missed the bounds, the failure is not an
    /// inconsistent lock, and the free units are few enough.</summary>
    public static bool Applies(UnitGraph graph, PartitionOptions options, PartitionResult heuristic)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(heuristic);
        return !heuristic.IsFeasible && heuristic.FailedConstraint != PartitionConstraint.LockedCells
            && ExactPartitioner.FreeUnits(graph, options) <= ExactPartitioner.MaxUnits;
    }

    /// <summary>Runs exact mode when it <see cref="Applies"/>; null otherwise.</summary>
    /// <param name="elapsed">Time the job has already spent (loading, graph, heuristic) out of the request's limit.</param>
    public static ExactResult? Run(UnitGraph graph, PartitionOptions options, PartitionResult heuristic, TimeSpan elapsed,
        IProgress<PartitionProgress>? progress = null, CancellationToken ct = default)
    {
        if (!Applies(graph, options, heuristic)) return null;
        progress?.Report(new PartitionProgress("exact", 0));
        var exact = ExactPartitioner.Solve(graph, options, heuristic, ExactPartitioner.Remaining(options.TimeLimit, elapsed), ct);
        progress?.Report(new PartitionProgress("exact", 1));
        return exact;
    }

    /// <summary>The planner's note on exact mode's answer (zh-CN), bounds in households.</summary>
    public static string Note(ExactResult exact, double lower, double upper)
    {
        ArgumentNullException.ThrowIfNull(exact);
        var window = string.Create(CultureInfo.InvariantCulture, $"{lower:0}–{upper:0}");
        return exact.Status switch
        {
            ExactStatus.Optimal => $"常规算法未找到每格都在 {window} 户之间的方案，精确求解找到并证明了最优方案（用时 {exact.Seconds:0.#} 秒）。",
            ExactStatus.Feasible => $"常规算法未找到每格都在 {window} 户之间的方案，精确求解找到了方案（未证明最优，与最优最多相差 {exact.Gap ?? 0:P1}）。",
            ExactStatus.Impossible => $"精确求解已证明：不存在每格都在 {window} 户之间的方案。{exact.Reason}",
            _ => $"精确求解在时限内未能确定是否存在每格都在 {window} 户之间的方案（不代表无解，可延长时间上限后重试）。",
        };
    }
}
