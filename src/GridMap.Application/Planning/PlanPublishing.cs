using System.Globalization;
using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Storage;
using GridMap.Domain.Rules;
using GridMap.Storage.Planning;

namespace GridMap.Application.Planning;

/// <summary>
/// Publishing a preview as the next version of its area, in one write: the current plan of the area and every current
/// plan sharing a compound with it become superseded (kept), grid_cell and compound.cell_code are replaced. Only a
/// preview whose every cell is contiguous may be published; a cell code still held by a cell that stays is renumbered
/// (next free sequence number of its community). Publishes serialise on an advisory lock.
/// </summary>
public sealed class PlanPublishing(WritePipeline pipeline, PlanQueries plans)
{
    /// <summary>Publishes plan <paramref name="planId"/>; returns the version, what it superseded and the plan as published.</summary>
    public async Task<PublishResult> PublishAsync(long planId, CancellationToken ct = default)
    {
        // Publishing replaces rows other publishers may touch: publishes serialise on a transaction-scoped lock, taken before
        // the plan's row (SerializeOn), so two publishes never wait on each other.
        var spec = new WriteSpec("planning.publish", $"plan:{planId}") { Resource = ResourceRef.Plan(planId), SerializeOn = PublishRepository.PublishLockKey };
        var (version, replaced, orphans, renumbered) = await pipeline.RunAsync(spec, async s =>
        {
            await PublishRepository.LockPublishingAsync(s, ct);
            var plan = await PlanRepository.LockAsync(s, planId, ct) ?? throw PlanGuards.NoPlan(planId);
            RuleViolation.Require(plan.Status == "preview", RuleCodes.NotPreview, $"方案 {planId} 状态为 {plan.Status}，只能发布预览方案 (only a preview can be published).");
            var cells = await PlanRepository.CellsAsync(s, planId, ct);
            var broken = cells.Where(c => !c.Value.Contiguous).Select(c => PlanGuards.Label(cells, c.Key)).ToList();
            RuleViolation.Require(broken.Count == 0, RuleCodes.NotContiguous, $"{string.Join("、", broken)} 不连通，不能发布 (every cell must be contiguous).");
            var replaced = await PublishRepository.ReplacedAsync(s, planId, ct);
            // Codes of cells that stay (other areas' plans) must not be taken twice: renumber any collision.
            var inUse = await PublishRepository.CodesInUseAsync(s, planId, replaced, cells.Values.Select(c => c.Code[..12]), ct);
            var renumbered = new List<string>();
            var taken = new HashSet<string>(inUse.Concat(cells.Values.Select(c => c.Code)));
            foreach (var (idx, cell) in cells.Where(c => inUse.Contains(c.Value.Code)).ToList())
            {
                var prefix = cell.Code[..12];
                var free = Enumerable.Range(1, 999).Select(n => prefix + n.ToString("000", CultureInfo.InvariantCulture)).FirstOrDefault(c => !taken.Contains(c));
                RuleViolation.Require(free is not null, RuleCodes.CodesExhausted, $"社区 {prefix} 的网格编号已用完 (999 cells).");
                taken.Add(free!);
                await PublishRepository.RenumberCellAsync(s, planId, idx, free!, ct);
                renumbered.Add($"{cell.Code}→{free}");
            }
            var orphans = await PublishRepository.OrphansAsync(s, planId, replaced, ct);
            var gridBefore = await PublishRepository.GridCellsAsync(s, planId, replaced, ct);
            var codesBefore = await PublishRepository.CompoundCodesAsync(s, planId, replaced, ct);
            var replacedVersions = new Dictionary<long, int?>();
            foreach (var r in replaced) replacedVersions[r] = await PlanRepository.VersionAsync(s, r, ct);
            var version = await PublishRepository.PublishAsync(s, planId, replaced, ct);
            await RecordPublishAsync(s, planId, version, replaced, replacedVersions, gridBefore, codesBefore, ct);
            return (version, replaced, orphans, renumbered);
        }, ct);
        return new PublishResult(true, version, replaced, orphans, renumbered, await PlanGuards.PlanAsync(plans, planId, ct));
    }

    /// <summary>What a publish changed, for the audit log: the plan's status and version, each superseded plan, each grid cell
    /// replaced (name, staff, polygon as hash + area: the area change shows), each compound whose cell code changed.</summary>
    private static async Task RecordPublishAsync(DbSession s, long planId, int version, IReadOnlyList<long> replaced, IReadOnlyDictionary<long, int?> replacedVersions,
        IReadOnlyDictionary<string, GridCellRow> gridBefore, IReadOnlyDictionary<int, string?> codesBefore, CancellationToken ct)
    {
        s.Changed("plan", planId, new { status = "preview", version = (int?)null }, new { status = "published", version, superseded = replaced });
        foreach (var r in replaced)
            s.Changed("plan", r, new { status = "published", version = replacedVersions[r] }, new { status = "superseded", version = replacedVersions[r], supersededBy = planId });
        var gridAfter = await PublishRepository.GridCellsAsync(s, planId, replaced, ct);
        static object Cell(GridCellRow g) => new { code = g.Code, name = g.Name, staffId = g.StaffId, area = g.Area };
        foreach (var code in gridBefore.Keys.Union(gridAfter.Keys).Order(StringComparer.Ordinal))
        {
            var b = gridBefore.GetValueOrDefault(code);
            var a = gridAfter.GetValueOrDefault(code);
            s.Changed("cell", code, b is null ? null : Cell(b), a is null ? null : Cell(a));
        }
        var codesAfter = await PublishRepository.CompoundCodesAsync(s, codesBefore.Keys, ct);
        foreach (var (id, before) in codesBefore)
            if (codesAfter.TryGetValue(id, out var after) && before != after)
                s.Changed("compound", id, new { cellCode = before }, new { cellCode = after, plan = planId, version });
    }
}
