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

    /// <summary>
    /// The branch of a write's target as the pipeline names it (<see cref="Pipeline.WriteSpec.Target"/>): <c>plan:ID</c>,
    /// <c>cell:CODE</c>, <c>compound:ID</c>, <c>district:CODE</c>, and <c>area:KIND:CODE</c> / <c>street:CODE</c> /
    /// <c>community:CODE</c> (by the district the code starts with). Null for any other target (a drawn polygon, a file): the
    /// use case states <see cref="Pipeline.WriteSpec.Branch"/> itself there.
    /// </summary>
    public async Task<BranchScope?> OfTargetAsync(string target, CancellationToken ct = default)
    {
        var parts = target.Split(':');
        if (parts.Length >= 2 && parts[0] == "area") parts = parts[1..];
        if (parts.Length != 2 || parts[1].Length == 0) return null;
        var id = parts[1];
        return parts[0] switch
        {
            "plan" when long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var plan) => await OfPlanAsync(plan, ct),
            "compound" when int.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var compound) => await OfCompoundAsync(compound, ct),
            "cell" => await OfCellAsync(id, ct),
            "district" or "street" or "community" when id.Length >= 6 && id.All(char.IsAsciiDigit) => await OfDistrictAsync(id[..6], ct),
            _ => null,
        };
    }

    /// <summary>A planning area: a district, street or community by its code (the first six digits are the district); a drawn
    /// polygon by the districts it overlaps (none: company-wide callers only).</summary>
    public async Task<BranchScope> OfAreaAsync(PlanArea area, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        return area.Polygon is { } p ? BranchScope.Of(await branches.OfPolygonAsync(p, ct)) : await OfDistrictAsync(area.Code![..6], ct);
    }
}
