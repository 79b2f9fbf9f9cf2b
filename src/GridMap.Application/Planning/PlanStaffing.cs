using System.Globalization;
using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Planning;
using Npgsql;

namespace GridMap.Application.Planning;

/// <summary>
/// Who is responsible for each cell of a preview: grid workers of the plan's branch, one cell each, assigned
/// automatically (least total road distance, <see cref="StaffAssigner"/> over <see cref="StaffTravel"/>) or by hand
/// (pinned: automatic assignment keeps it); the lists of free workers and unstaffed cells; the road distance of every
/// assignment. Writes go through the <see cref="WritePipeline"/> with the plan row locked.
/// </summary>
public sealed class PlanStaffing(WritePipeline pipeline, PlanQueries plans, NpgsqlDataSource db)
{
    /// <summary>Assigns a staff member to a cell by hand (pinned), or leaves the cell without staff when
    /// <see cref="AssignStaffRequest.StaffId"/> is null; returns the plan. Rules: preview only, a grid worker of the plan's
    /// branch, one cell per worker in the plan, not busy in another current plan.</summary>
    public async Task<PlanDetail> AssignAsync(AssignStaffRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (id, idx, staffId) = request;
        var use = staffId is null ? "planning.unassign-staff" : "planning.assign-staff";
        await pipeline.RunAsync(new WriteSpec(use, $"plan:{id}") { Resource = ResourceRef.Plan(id) }, async s =>
        {
            await PlanGuards.LockEditableAsync(s, id, ct);
            var cells = await PlanGuards.CellsAsync(s, id, [idx], ct);
            if (staffId is { } sid)
            {
                var staff = await StaffRepository.CandidatesAsync(s, id, ct);
                var member = staff.FirstOrDefault(x => x.Id == sid);
                if (member is null)
                {
                    var role = await StaffRepository.RoleAsync(s, sid, ct) ?? throw new KeyNotFoundException($"没有编号为 {sid} 的员工 (no staff member with id {sid}).");
                    throw role == "grid_worker"
                        ? new RuleViolation(RuleCodes.StaffOtherBranch, $"网格员 {sid} 不属于本区所在分公司 (staff member is in another branch).")
                        : new RuleViolation(RuleCodes.NotGridWorker, $"员工 {sid} 不是网格员（{role}）(only grid workers can be responsible for a cell).");
                }
                RuleViolation.Require(member.Cell is null || member.Cell == idx, RuleCodes.StaffBusy,
                    $"网格员 {member.Name} 已负责{PlanGuards.Label(cells, member.Cell ?? 0)}，请先取消 (already responsible for another cell of this plan).");
                RuleViolation.Require(!member.BusyElsewhere, RuleCodes.StaffBusy,
                    $"网格员 {member.Name} 已负责其他现行方案的网格 (already responsible for a cell of another current plan).");
            }
            await StaffRepository.SetCellStaffAsync(s, id, idx, staffId, pinned: staffId is not null, ct);
            await RecordStaffChangesAsync(s, id, cells, ct);
        }, ct);
        return await PlanGuards.PlanAsync(plans, id, ct);
    }

    /// <summary>Assigns staff to every cell without pinned staff (least total road distance within the branch); returns the
    /// plan with the road distance of each assignment.</summary>
    public async Task<PlanWithStaffTravel> AutoAssignAsync(long planId, CancellationToken ct = default)
    {
        await pipeline.RunAsync(new WriteSpec("planning.auto-assign-staff", $"plan:{planId}") { Resource = ResourceRef.Plan(planId) }, async s =>
        {
            await PlanGuards.LockEditableAsync(s, planId, ct);
            var before = await PlanRepository.CellsAsync(s, planId, ct);
            await AutoAssignAsync(s, planId, ct);
            await RecordStaffChangesAsync(s, planId, before, ct);
        }, ct);
        var plan = await PlanGuards.PlanAsync(plans, planId, ct);
        return new PlanWithStaffTravel(plan, await TravelAsync(planId, ct));
    }

    /// <summary>The automatic assignment inside a write (also run when a preview is saved): pins are kept, workers busy in
    /// another current plan are left out unless pinned here, travel is by road where the network joins base and cell.</summary>
    internal static async Task AutoAssignAsync(DbSession s, long planId, CancellationToken ct)
    {
        var sites = await StaffRepository.CellSitesAsync(s, planId, ct);
        var staff = await StaffRepository.CandidatesAsync(s, planId, ct);
        var pins = sites.Where(x => x.Pinned && x.StaffId is not null).ToDictionary(x => x.Idx, x => Key(x.StaffId!.Value));
        var members = staff.Where(x => !x.BusyElsewhere || pins.ContainsValue(Key(x.Id))).Select(x => new StaffMember(Key(x.Id), x.X, x.Y)).ToList();
        var cellSites = sites.Select(x => new CellSite(x.Idx, x.X, x.Y)).ToList();
        var travel = await StaffTravel.MatrixAsync(s, members, cellSites, ct);
        var result = StaffAssigner.Assign(cellSites, members, pins, travel.Costs);
        var staffOf = sites.ToDictionary(x => x.Idx, x => result.StaffOf.TryGetValue(x.Idx, out var sid) ? int.Parse(sid, CultureInfo.InvariantCulture) : (int?)null);
        await StaffRepository.SetAssignedStaffAsync(s, planId, staffOf, ct);
    }

    /// <summary>Records each cell whose staff changed since <paramref name="before"/> (staff id and name, before and after).</summary>
    private static async Task RecordStaffChangesAsync(DbSession s, long planId, IReadOnlyDictionary<int, PlanCellState> before, CancellationToken ct)
    {
        var after = await PlanRepository.CellsAsync(s, planId, ct);
        var changed = after.Where(a => before.TryGetValue(a.Key, out var b) && b.StaffId != a.Value.StaffId).Select(a => a.Key).ToList();
        if (changed.Count == 0) return;
        var names = await StaffRepository.NamesAsync(s, changed.SelectMany(i => new[] { before[i].StaffId, after[i].StaffId }).OfType<int>(), ct);
        object Staff(PlanCellState c) => new { code = c.Code, staffId = c.StaffId, staffName = c.StaffId is { } x ? names.GetValueOrDefault(x) : null };
        foreach (var i in changed)
            s.Changed("cell", PlanGuards.CellId(planId, i), Staff(before[i]), Staff(after[i]));
    }

    private static string Key(int staffId) => staffId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The grid workers of the plan's branch, those without a cell (and not busy elsewhere), and the cells without staff.</summary>
    public async Task<StaffList> StaffAsync(long planId, CancellationToken ct = default)
    {
        if (!await plans.ExistsAsync(planId, ct)) throw PlanGuards.NoPlan(planId);
        // A read: one transaction for a consistent view, rolled back (nothing is written).
        await using var s = await DbSession.BeginAsync(db, ct);
        var staff = await StaffRepository.CandidatesAsync(s, planId, ct);
        var cells = await PlanRepository.CellsAsync(s, planId, ct);
        return new StaffList(planId,
            staff.Select(x => new StaffListItem(x.Id, x.Name, x.Cell, x.BusyElsewhere)).ToList(),
            staff.Where(x => x.Cell is null && !x.BusyElsewhere).Select(x => new StaffRef(x.Id, x.Name)).ToList(),
            cells.Where(c => c.Value.StaffId is null).Select(c => new CellRef(c.Key, c.Value.Code)).ToList());
    }

    /// <summary>
    /// The road distance of each staffed cell: from the worker's base to the cell's site (the point auto-assign routes to,
    /// so the figures follow compound moves and edge redraws), by road where the network joins them, otherwise the straight
    /// line × <see cref="StaffTravel.DetourFactor"/> with the reason. Unknown plan → <see cref="KeyNotFoundException"/>.
    /// </summary>
    public async Task<StaffTravelReport> TravelAsync(long planId, CancellationToken ct = default)
    {
        if (!await plans.ExistsAsync(planId, ct)) throw PlanGuards.NoPlan(planId);
        // A read. Its only write is the routing graph's cache (rebuilt when the roads changed since it was built), which
        // is kept: so the session is committed, but this is no planning write and does not go through the pipeline.
        IReadOnlyList<StaffedCell> rows;
        StaffTravelMatrix matrix;
        await using (var s = await DbSession.BeginAsync(db, ct))
        {
            rows = await StaffRepository.StaffedCellsAsync(s, planId, ct);
            // One matrix over the distinct staff and cells; a plan holds each worker once, so it is small.
            var staff = rows.Select(x => new StaffMember(Key(x.StaffId), x.StaffX, x.StaffY)).DistinctBy(m => m.Id).ToList();
            matrix = await StaffTravel.MatrixAsync(s, staff, rows.Select(x => new CellSite(x.Idx, x.SiteX, x.SiteY)).ToList(), ct);
            await s.CommitAsync(ct);
        }
        var cells = rows.Select(x => (x, p: matrix.Pair(Key(x.StaffId), x.Idx))).Select(t => new StaffTravelCell(
            t.x.Idx, t.x.StaffId, t.x.StaffName,
            Math.Round(t.p.Metres / 1000, 2), Math.Round(t.p.Metres, 1), Math.Round(t.p.StraightMetres / 1000, 2),
            t.p.Source == TravelSource.Road ? "road" : "estimate", t.p.Reason is { } r ? ReasonText(r) : null)).ToList();
        return new StaffTravelReport(planId,
            $"路网距离：沿道路网最短路程（pgRouting pgr_dijkstraCost），驻地与网格各自接入 {StaffTravel.MaxSnapMetres:0} 米内最近的道路；无法接入或不连通时按直线距离 × {StaffTravel.DetourFactor} 估算",
            StaffTravel.DetourFactor, StaffTravel.MaxSnapMetres, Math.Round(cells.Sum(c => c.Metres) / 1000, 2), cells.Count(c => c.Source == "estimate"), cells);
    }

    /// <summary>Why a travel figure is estimated, for people (zh-CN, English in brackets).</summary>
    public static string ReasonText(EstimateReason reason) => reason switch
    {
        EstimateReason.NoPgRouting => "数据库未安装 pgRouting，按直线距离估算 (pgRouting is not installed)",
        EstimateReason.StaffOffNetwork => $"网格员驻地 {StaffTravel.MaxSnapMetres:0} 米内没有道路 (staff base is more than {StaffTravel.MaxSnapMetres:0} m from any road)",
        EstimateReason.CellOffNetwork => $"网格 {StaffTravel.MaxSnapMetres:0} 米内没有道路 (cell is more than {StaffTravel.MaxSnapMetres:0} m from any road)",
        _ => "路网不连通，两点之间没有道路路线 (no road route between them)",
    };
}
