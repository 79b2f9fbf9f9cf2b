using GridMap.Domain.Partitioning;
using GridMap.Storage.Planning;

namespace GridMap.Application.Planning;

/// <summary>
/// What to partition and how: the area, either households per cell <see cref="MinHouseholds"/>–<see cref="MaxHouseholds"/>
/// (the common grid norm is 300–500, the default) or a number of <see cref="Cells"/> with ±<see cref="Tolerance"/>,
/// barriers (arterial roads, soft: crossed only where a fenced-in group could not otherwise be divided) on or off, nesting cells inside communities on or off, the seed and a time limit
/// of 1–120 s. Valid from birth: impossible combinations are rejected with a message naming the parameter.
/// </summary>
public sealed record PlanRequest
{
    public const double DefaultMin = 300, DefaultMax = 500, MaxTimeLimit = 120;

    public PlanRequest(PlanArea area, int? cells = null, double? tolerance = null, double? minHouseholds = null, double? maxHouseholds = null,
        bool barriers = true, bool nest = false, int seed = 1, double timeLimitSeconds = 10, string objective = "compact")
    {
        Area = area ?? throw new ArgumentException("缺少划分范围 (an area — district, street, community or polygon — is required).");
        if (cells is not null && (minHouseholds is not null || maxHouseholds is not null))
            throw new ArgumentException("网格数与每格户数范围只能给一个 (give either cells (+ tolerance) or minHouseholds/maxHouseholds, not both).");
        if (cells is null && (minHouseholds is null) != (maxHouseholds is null))
            throw new ArgumentException("每格户数上下限须同时给出 (minHouseholds and maxHouseholds go together).");
        if (cells is null && minHouseholds is null) { minHouseholds = DefaultMin; maxHouseholds = DefaultMax; }
        if (cells is not null && cells < 1) throw new ArgumentException($"网格数 {cells} 至少为 1 (cells {cells} must be at least 1).");
        if (cells is not null && cells > 999) throw new ArgumentException($"网格数 {cells} 超过社区编号上限 999 (cells {cells} is more than the 999 a community's code sequence allows).");
        if (tolerance is not null && cells is null) throw new ArgumentException("容差只用于按网格数划分 (tolerance applies to a number of cells; with a households window leave it out).");
        if (tolerance is not null && !(tolerance > 0 && tolerance < 1)) throw new ArgumentException($"容差 {tolerance} 应在 0 与 1 之间 (tolerance {tolerance} must be between 0 and 1: 0.05 = ±5%).");
        if (minHouseholds is not null && !(minHouseholds >= 0)) throw new ArgumentException($"每格户数下限 {minHouseholds} 不能为负 (minHouseholds {minHouseholds} must be ≥ 0).");
        if (maxHouseholds is not null && !(maxHouseholds > minHouseholds)) throw new ArgumentException($"每格户数上限 {maxHouseholds} 必须大于下限 {minHouseholds} (maxHouseholds {maxHouseholds} must exceed minHouseholds {minHouseholds}).");
        if (!(timeLimitSeconds > 0 && timeLimitSeconds <= MaxTimeLimit)) throw new ArgumentException($"计算时限 {timeLimitSeconds} 秒应在 0–{MaxTimeLimit} 秒之间 (timeLimit {timeLimitSeconds} s must be between 0 and {MaxTimeLimit} s).");
        if (objective is not ("compact" or "cut-edges")) throw new ArgumentException($"优化目标 '{objective}' 无效 (objective '{objective}' must be compact or cut-edges).");
        Cells = cells; Tolerance = tolerance ?? 0.05; MinHouseholds = minHouseholds; MaxHouseholds = maxHouseholds;
        Barriers = barriers; Nest = nest; Seed = seed; TimeLimitSeconds = timeLimitSeconds; Objective = objective;
    }

    public PlanArea Area { get; }
    public int? Cells { get; }
    public double Tolerance { get; }
    public double? MinHouseholds { get; }
    public double? MaxHouseholds { get; }
    public bool Barriers { get; }
    public bool Nest { get; }
    public int Seed { get; }
    public double TimeLimitSeconds { get; }
    public string Objective { get; }

    /// <summary>The engine's options for this request.</summary>
    public PartitionOptions ToOptions() => new()
    {
        Cells = Cells,
        Tolerance = Tolerance,
        MinWeight = Cells is null ? MinHouseholds : null,
        MaxWeight = Cells is null ? MaxHouseholds : null,
        Objective = Objective == "cut-edges" ? PartitionObjective.CutEdges : PartitionObjective.Compact,
        Nest = Nest,
        // Planners ask for cells "bounded by real roads where possible": roads hold unless a fenced-in group could
        // not be divided into whole cells, where the engine crosses the fewest roads and reports it.
        Barriers = Barriers ? BarrierMode.Soft : BarrierMode.Hard,
        Seed = Seed,
        TimeLimit = TimeSpan.FromSeconds(TimeLimitSeconds),
    };

    /// <summary>The request as it is stored with the plan (and shown as the plan's <c>params</c>).</summary>
    public PlanParams ToParams() => new(new PlanParamsArea(Area.Kind, Area.Code), Cells, Cells is null ? null : Tolerance,
        MinHouseholds, MaxHouseholds, Barriers, Nest, Seed, TimeLimitSeconds, Objective);
}
