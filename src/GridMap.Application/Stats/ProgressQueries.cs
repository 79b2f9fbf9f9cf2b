using System.Globalization;
using GridMap.Storage.Stats;

namespace GridMap.Application.Stats;

/// <summary>
/// The progress dashboard's read use cases: figures per branch / district / street / cell in one answer (instead of one
/// request per district), the open disputes, the cells behind schedule and the completion timeline. Inputs are checked
/// here (400 with the allowed values, 404 for an unknown scope) before any SQL runs; levels reach SQL as bound values.
/// </summary>
public sealed class ProgressQueries(ProgressStore store, CampaignTargets targets)
{
    /// <summary>The levels, coarse to fine (street and cell are both inside a district).</summary>
    public static IReadOnlyList<string> Levels { get; } = ["branch", "district", "street", "cell"];
    /// <summary>What <c>include</c> may ask for.</summary>
    public static IReadOnlyList<string> Includes { get; } = ["disputes", "behind", "timeline"];
    public const int MaxDisputes = 1000;
    public const int BehindCount = 15;

    /// <summary>Figures per unit of <paramref name="by"/> inside <paramref name="within"/> (<c>branch:ID</c> or
    /// <c>district:CODE</c>, coarser than <paramref name="by"/>; null = the city); <paramref name="include"/> is a comma list of
    /// <see cref="Includes"/>.</summary>
    public async Task<ProgressReport> ProgressAsync(string? by, string? within, string? include, CancellationToken ct = default)
    {
        var level = Level(by);
        var (scope, withinKey) = Scope(within, level);
        var parts = Parts(include);
        var scopeName = await ScopeNameOrThrowAsync(scope, withinKey, ct);
        var stageList = await store.StagesAsync(ct);
        var completed = StageIndex(stageList, "completed");
        var (raw, asOf) = await store.UnitsAsync(level, scope, ct);
        var day = DateOnly.FromDateTime(asOf.UtcDateTime);

        var codes = stageList.Select(x => x.Code).ToArray();
        ProgressUnit Unit(ProgressUnitRow r) => UnitOf(r, codes, completed, day);
        var rows = raw.Where(r => r.Code is not null).Select(Unit).ToList();
        var none = new ProgressUnitRow(null, null, null, null, null, new int[stageList.Count], new long[stageList.Count], 0, 0, 0);
        var unassigned = Unit((raw.FirstOrDefault(r => r.Code is null) ?? none) with { Code = "", Name = "未划分" });
        var total = Sum(withinKey ?? "city", scopeName, raw, rows, codes, completed);
        var stages = stageList.Select((x, i) => new StageInfo(x.Code, x.Label, raw.Sum(r => r.CompoundsByStage[i]), raw.Sum(r => r.HouseholdsByStage[i]))).ToList();
        var unitStages = raw.Where(r => r.Code is not null).Select(r => new UnitStages(r.Code!, r.CompoundsByStage, r.HouseholdsByStage)).ToList();

        IReadOnlyList<OpenDispute>? disputes = null;
        if (parts.Contains("disputes"))
            disputes = (await store.DisputesAsync(scope, MaxDisputes, ct))
                .Select(d => new OpenDispute(d.Id, d.Name, d.DistrictCode, d.DistrictName, d.CellCode, d.CellName, d.Households, d.RetrofitStatus, d.Notes, d.Lon, d.Lat,
                    d.OpenCount, d.InProgress, d.OldestOpenedAt, d.Owner))
                .ToList();

        IReadOnlyList<ProgressUnit>? behind = null;
        string? behindLevel = null;
        if (parts.Contains("behind"))
        {
            // Cells, the finest unit; until cells are published (the demo has none) the streets stand in.
            var cells = level == "cell" ? rows
                : (await store.UnitsAsync("cell", scope, ct)).Rows.Where(r => r.Code is not null).Select(Unit).ToList();
            behindLevel = "cell";
            if (cells.All(c => c.Compounds == 0))
            {
                behindLevel = "street";
                cells = level == "street" ? rows
                    : (await store.UnitsAsync("street", scope, ct)).Rows.Where(r => r.Code is not null).Select(Unit).ToList();
            }
            behind = cells.Where(c => c.Behind)
                .OrderByDescending(c => (c.Target!.Expected - c.CompletedShare) * c.Households).ThenBy(c => c.Code, StringComparer.Ordinal)
                .Take(BehindCount).ToList();
        }

        var timeline = parts.Contains("timeline") ? await TimelineCoreAsync(level, scope, rows, asOf, ct) : null;
        return new ProgressReport(level, withinKey, scopeName, asOf, stages, total, rows, unitStages, unassigned, disputes, behind, behindLevel, timeline);
    }

    /// <summary>Households completed over time per unit of <paramref name="by"/> inside <paramref name="within"/>.</summary>
    public async Task<ProgressTimeline> TimelineAsync(string? by, string? within, CancellationToken ct = default)
    {
        var report = await ProgressAsync(by, within, "timeline", ct);
        return report.Timeline!;
    }

    private async Task<ProgressTimeline> TimelineCoreAsync(string level, ProgressScope scope, IReadOnlyList<ProgressUnit> rows, DateTimeOffset asOf, CancellationToken ct)
    {
        var start = await store.HistoryStartAsync(ct);
        // A week before the first recorded stage move (so the curve starts from what was done before), at most two years
        // back; with no history, a year of flat line ending today.
        var from = start is { } s ? s.AddDays(-7) : asOf.AddDays(-364);
        if (from < asOf.AddDays(-2 * 365)) from = asOf.AddDays(-2 * 365);
        var points = await store.TimelineAsync(level, scope, from, ct);
        var dates = points.Select(p => p.At).Distinct().Order().ToArray();
        var index = dates.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        var total = new long[dates.Length];
        var byUnit = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var p in points)
        {
            var i = index[p.At];
            total[i] += p.Completed;
            if (p.Unit is null) continue;
            if (!byUnit.TryGetValue(p.Unit, out var arr)) byUnit[p.Unit] = arr = new long[dates.Length];
            arr[i] += p.Completed;
        }
        var series = rows.Select(r => new TimelineSeries(r.Code, r.Name, byUnit.TryGetValue(r.Code, out var a) ? a : new long[dates.Length])).ToList();
        return new ProgressTimeline(level, "compound_stage_event", start, dates, total, series);
    }

    private ProgressUnit UnitOf(ProgressUnitRow r, string[] stages, int completed, DateOnly day)
    {
        var households = r.HouseholdsByStage.Sum();
        var done = completed >= 0 ? r.HouseholdsByStage[completed] : 0;
        var share = households > 0 ? (double)done / households : 0;
        UnitTarget? target = null;
        if (targets.For(r.BranchId) is { } t) target = new UnitTarget(t.Share, t.Deadline, targets.Expected(t, day));
        return new ProgressUnit(r.Code ?? "", r.Name ?? "", r.Parent, r.ParentName, r.CompoundsByStage.Sum(), households,
            done, share, households > 0 ? r.ConsentHouseholds / households : 0, r.Disputes, r.OverdueFollowUps,
            target, target is not null && households > 0 && share < target.Expected);
    }

    /// <summary>The scope's total over every raw row (units and the unassigned rest); its goal is the household-weighted
    /// mean of its units' goals (the latest deadline), when any unit has one.</summary>
    private static ProgressUnit Sum(string code, string name, IReadOnlyList<ProgressUnitRow> raw, IReadOnlyList<ProgressUnit> rows, string[] stages, int completed)
    {
        var stageCount = stages.Length;
        var c = new int[stageCount];
        var h = new long[stageCount];
        double consent = 0;
        int disputes = 0, overdue = 0;
        foreach (var r in raw)
        {
            for (var i = 0; i < stageCount; i++) { c[i] += r.CompoundsByStage[i]; h[i] += r.HouseholdsByStage[i]; }
            consent += r.ConsentHouseholds; disputes += r.Disputes; overdue += r.OverdueFollowUps;
        }
        var households = h.Sum();
        var done = completed >= 0 ? h[completed] : 0;
        var share = households > 0 ? (double)done / households : 0;
        var withGoal = rows.Where(r => r.Target is not null && r.Households > 0).ToList();
        var weight = withGoal.Sum(r => (double)r.Households);
        UnitTarget? target = withGoal.Count == 0 || weight <= 0 ? null : new UnitTarget(
            withGoal.Sum(r => r.Target!.Share * r.Households) / weight,
            withGoal.Max(r => r.Target!.Deadline),
            withGoal.Sum(r => r.Target!.Expected * r.Households) / weight);
        return new ProgressUnit(code, name, null, null, c.Sum(), households, done, share, households > 0 ? consent / households : 0, disputes, overdue,
            target, target is not null && share < target.Expected);
    }

    private async Task<string> ScopeNameOrThrowAsync(ProgressScope scope, string? key, CancellationToken ct)
    {
        if (key is null) return "全市";
        return await store.ScopeNameAsync(scope, ct) ?? throw new KeyNotFoundException($"没有范围 '{key}' (No such scope: '{key}').");
    }

    private static int StageIndex(IReadOnlyList<(string Code, string Label)> stages, string code)
    {
        for (var i = 0; i < stages.Count; i++) if (stages[i].Code == code) return i;
        return -1;
    }

    private static string Level(string? by)
    {
        if (string.IsNullOrWhiteSpace(by)) throw new ArgumentException($"请指定统计层级 by (by is required: one of {string.Join(", ", Levels)}).");
        var l = by.Trim().ToLowerInvariant();
        return Levels.Contains(l) ? l : throw new ArgumentException($"统计层级 by='{by}' 无效 (by must be one of {string.Join(", ", Levels)}).");
    }

    private static (ProgressScope Scope, string? Key) Scope(string? within, string level)
    {
        if (string.IsNullOrWhiteSpace(within)) return (ProgressScope.City, null);
        var parts = within.Trim().Split(':', 2);
        if (parts.Length == 2 && parts[0] == "branch" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && level != "branch")
            return (new ProgressScope(b, null), $"branch:{b}");
        if (parts.Length == 2 && parts[0] == "district" && parts[1].Length == 6 && parts[1].All(char.IsAsciiDigit) && level is "street" or "cell")
            return (new ProgressScope(null, parts[1]), $"district:{parts[1]}");
        throw new ArgumentException($"范围 within='{within}' 无效 (within must be branch:ID for by=district|street|cell, or district:CODE (6 digits) for by=street|cell).");
    }

    private static HashSet<string> Parts(string? include)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(include)) return set;
        foreach (var p in include.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Includes.Contains(p)) throw new ArgumentException($"include='{p}' 无效 (include is a comma list of {string.Join(", ", Includes)}).");
            set.Add(p);
        }
        return set;
    }
}
