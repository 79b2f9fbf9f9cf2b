using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Domain.Rules;
using GridMap.Storage.Planning;

namespace GridMap.Application.Planning;

/// <summary>
/// The published versions of an area: list them (newest first), read one (its plan, cells and compounds through the plan
/// reads), and restore one as a new preview — a copy of its cells, compounds, staff and road crossings that the planner can
/// edit and publish as the next version. The version itself is never changed. Restoring is a planning write (planner of
/// the area's branch, or admin) through the <see cref="WritePipeline"/>, audited on both plans.
/// </summary>
public sealed class PlanVersions(WritePipeline pipeline, PlanQueries plans)
{
    /// <summary>The published versions of an area key (e.g. <c>street:410105004</c>), newest first; empty when it has none.</summary>
    public Task<IReadOnlyList<PlanVersion>> VersionsAsync(string? areaKey, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(areaKey) || areaKey.Length > 200)
            throw new ArgumentException("请给出区域键，例如 ?area=street:410105004 (give the area key, e.g. ?area=street:410105004).");
        return plans.VersionsAsync(areaKey.Trim(), ct);
    }

    /// <summary>Version <paramref name="version"/> of an area as a plan (404 when the area has no such version).</summary>
    public async Task<PlanDetail> VersionAsync(string? areaKey, int version, CancellationToken ct = default)
    {
        if (version < 1) throw new ArgumentException($"版本号须 ≥ 1 (version must be ≥ 1, got {version}).");
        var v = (await VersionsAsync(areaKey, ct)).FirstOrDefault(x => x.Version == version)
            ?? throw new KeyNotFoundException($"区域 {areaKey} 没有第 {version} 版 (area '{areaKey}' has no version {version}).");
        return await PlanGuards.PlanAsync(plans, v.PlanId, ct);
    }

    /// <summary>Copies published (or superseded) plan <paramref name="planId"/> as a new preview; returns the preview.
    /// A preview cannot be restored (rule <c>not-a-version</c>): it is editable as it is.</summary>
    public async Task<PlanDetail> RestoreAsync(long planId, CancellationToken ct = default)
    {
        var id = await pipeline.RunAsync(new WriteSpec("planning.restore-version", $"plan:{planId}"), async s =>
        {
            var source = await PlanGuards.PlanAsync(plans, planId, ct);
            RuleViolation.Require(source.Version is not null, RuleCodes.NotAVersion,
                $"方案 {planId} 是预览，未发布过，不能恢复；可直接编辑 (plan {planId} is a preview, not a published version).");
            var copy = await PlanRepository.RestoreAsPreviewAsync(s, planId, ct);
            s.Changed("plan", copy, null, new { status = "preview", restoredFrom = planId, version = source.Version, areaKey = source.Area.Key, cells = source.Cells.Count });
            s.Changed("plan", planId, null, new { restoredAs = copy, version = source.Version });
            return copy;
        }, ct);
        return await PlanGuards.PlanAsync(plans, id, ct);
    }
}
