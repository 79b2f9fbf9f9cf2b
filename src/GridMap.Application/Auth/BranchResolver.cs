using GridMap.Storage.Auth;
using GridMap.Application.Planning;

namespace GridMap.Application.Auth;

/// <summary>
/// The branch a write's target belongs to, for <see cref="Pipeline.WriteSpec.Branch"/>: through the district of a plan,
/// planning area, cell or compound. An unknown target is a <see cref="KeyNotFoundException"/> (404), so a missing
/// resource is reported as missing, not as forbidden.
/// </summary>
public sealed class BranchResolver(BranchStore branches)
{
    public async Task<BranchScope> OfDistrictAsync(string districtCode, CancellationToken ct = default) =>
        BranchScope.Of(await branches.OfDistrictAsync(districtCode, ct) ?? throw new KeyNotFoundException($"没有行政区 {districtCode} (no district {districtCode})."));

    public async Task<BranchScope> OfPlanAsync(long planId, CancellationToken ct = default) =>
        BranchScope.Of(await branches.OfPlanAsync(planId, ct) ?? throw new KeyNotFoundException($"没有方案 {planId} (no plan {planId})."));

    public async Task<BranchScope> OfCellAsync(string cellCode, CancellationToken ct = default) =>
        BranchScope.Of(await branches.OfCellAsync(cellCode, ct) ?? throw new KeyNotFoundException($"没有网格 {cellCode} (no grid cell {cellCode})."));

    public async Task<BranchScope> OfCompoundAsync(int compoundId, CancellationToken ct = default) =>
        BranchScope.Of(await branches.OfCompoundAsync(compoundId, ct) ?? throw new KeyNotFoundException($"没有小区 {compoundId} (no compound {compoundId})."));

    /// <summary>A planning area: a district, street or community by its code (the first six digits are the district); a drawn
    /// polygon by the districts it overlaps (none: company-wide callers only).</summary>
    public async Task<BranchScope> OfAreaAsync(PlanArea area, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        return area.Polygon is { } p ? BranchScope.Of(await branches.OfPolygonAsync(p, ct)) : await OfDistrictAsync(area.Code![..6], ct);
    }
}
