using GridMap.Domain.Planning;
using GridMap.Storage;
using GridMap.Storage.Planning;

namespace GridMap.Application.Planning;

/// <summary>The checks every planning use case starts with, and how plans and cells are named in messages (zh-CN first,
/// English in brackets): an unknown plan, cell or compound is a <see cref="KeyNotFoundException"/> (404), a plan that is not
/// a preview refuses edits (rule <c>plan-not-editable</c>).</summary>
internal static class PlanGuards
{
    public static KeyNotFoundException NoPlan(long id) => new($"没有编号为 {id} 的方案 (no plan with id {id}).");

    /// <summary>Locks the plan row for the rest of the write and checks it is an editable preview; returns its barriers and nesting.</summary>
    public static async Task<PlanLock> LockEditableAsync(DbSession s, long id, CancellationToken ct)
    {
        var plan = await PlanRepository.LockAsync(s, id, ct) ?? throw NoPlan(id);
        PlanEditor.EnsureEditable(plan.Status, id);
        return plan;
    }

    /// <summary>The plan's cells; 404 naming the valid range unless every cell of <paramref name="wanted"/> exists.</summary>
    public static async Task<IReadOnlyDictionary<int, PlanCellState>> CellsAsync(DbSession s, long id, int[] wanted, CancellationToken ct)
    {
        var cells = await PlanRepository.CellsAsync(s, id, ct);
        RequireCells(id, cells.Keys.ToList(), wanted);
        return cells;
    }

    /// <summary>404 unless every cell of <paramref name="wanted"/> is one of <paramref name="cells"/>.</summary>
    public static void RequireCells(long id, IReadOnlyCollection<int> cells, int[] wanted)
    {
        foreach (var c in wanted)
            if (!cells.Contains(c)) throw new KeyNotFoundException($"方案 {id} 没有网格 {c} (plan {id} has no cell {c}; cells are 0–{cells.Count - 1}).");
    }

    /// <summary>A cell as people know it: 网格 + its 15-digit code (or its index when unknown).</summary>
    public static string Label(IReadOnlyDictionary<int, PlanCellState> cells, int idx) =>
        cells.TryGetValue(idx, out var c) ? $"网格 {c.Code}" : $"网格 {idx}";

    /// <summary>How a cell of a plan is named in the audit log: <c>{planId}.{idx}</c> (a published grid cell is its 15-digit code).</summary>
    public static string CellId(long planId, int idx) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{planId}.{idx}");

    /// <summary>A compound's place in a plan, for the audit log.</summary>
    public static object CompoundCell(long planId, IReadOnlyDictionary<int, PlanCellState> cells, int idx) =>
        new { plan = planId, cell = idx, cellCode = cells.TryGetValue(idx, out var c) ? c.Code : null };

    /// <summary>Records the polygons of some cells before (<paramref name="before"/>) and after the write (read again in the
    /// session): hash + area in the audit log, so the area change shows.</summary>
    public static async Task RecordCellAreasAsync(DbSession s, long planId, IReadOnlyDictionary<int, PlanCellState> before, int[] idx, CancellationToken ct)
    {
        var after = await PlanRepository.CellsAsync(s, planId, ct);
        foreach (var i in idx.Distinct())
            if (before.TryGetValue(i, out var b) && after.TryGetValue(i, out var a))
                Audit.AuditTrail.Changed(s, "cell", CellId(planId, i), new { code = b.Code, area = b.Area, contiguous = b.Contiguous },
                    new { code = a.Code, area = a.Area, contiguous = a.Contiguous });
    }

    /// <summary>The plan as the API shows it; 404 when there is none.</summary>
    public static async Task<PlanDetail> PlanAsync(PlanQueries plans, long id, CancellationToken ct) =>
        await plans.PlanAsync(id, ct) ?? throw NoPlan(id);
}
