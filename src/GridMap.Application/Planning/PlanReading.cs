using System.Globalization;
using GridMap.Storage.Planning;

namespace GridMap.Application.Planning;

/// <summary>
/// What the planner reads: the areas that can be partitioned, the area at a point, plans (by area and status, the
/// current one of an area, one with its statistics), a plan's cells and compounds as GeoJSON, the boundary two cells
/// share. Bad input is an <see cref="ArgumentException"/>, an unknown plan, cell or area a <see cref="KeyNotFoundException"/>.
/// </summary>
public sealed class PlanReading(AreaQueries areas, PlanQueries plans)
{
    private static readonly string[] AreaKinds = ["district", "street", "community"];

    /// <summary>Areas of <paramref name="kind"/> (district | street | community) holding compounds, optionally within one district.</summary>
    public Task<IReadOnlyList<AreaListItem>> AreasAsync(string kind, string? district, CancellationToken ct = default)
    {
        RequireKind(kind);
        if (district is not null && (district.Length != 6 || !district.All(char.IsAsciiDigit)))
            throw new ArgumentException($"区代码 '{district}' 应为 6 位数字 (district code '{district}' must be 6 digits).");
        return areas.ListAsync(kind, district, ct);
    }

    /// <summary>The district (whose polygon holds the point), street or community (of the nearest compound within 1 km) at a
    /// WGS84 point, with its key, counts and outline.</summary>
    public async Task<AreaAtPoint> AreaAtAsync(double lon, double lat, string kind, CancellationToken ct = default)
    {
        if (!(lon is >= -180 and <= 180 && lat is >= -90 and <= 90))
            throw new ArgumentException(FormattableString.Invariant($"点 {lon},{lat} 不是 WGS84 经纬度 (point {lon},{lat} is not WGS84 lon/lat)."));
        RequireKind(kind);
        var codes = await areas.CodesAtAsync(lon, lat, ct);
        var code = kind switch { "district" => codes.District, "street" => codes.Street, _ => codes.Community }
            ?? throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"该位置没有{KindName(kind)} (no {kind} at {lon:0.#####},{lat:0.#####})."));
        var area = new PlanArea(kind, code);
        var s = await areas.SummaryAsync(area.Kind, area.Code, null, ct);
        return new AreaAtPoint(kind, code, area.Key, s.Name ?? code, s.Compounds, s.Households, s.Polygon is null ? null : GeoJsonMultiPolygon.From(s.Polygon));
    }

    /// <summary>Plans newest first (at most 200), by area key and/or status (preview | published | superseded).</summary>
    public Task<IReadOnlyList<PlanSummary>> PlansAsync(string? areaKey, string? status, CancellationToken ct = default)
    {
        if (status is not null && status is not ("preview" or "published" or "superseded"))
            throw new ArgumentException($"方案状态 '{status}' 无效 (status '{status}' must be preview, published or superseded).");
        return plans.PlansAsync(areaKey, status, ct);
    }

    /// <summary>A plan with per-cell statistics, crossings and totals.</summary>
    public Task<PlanDetail> PlanAsync(long id, CancellationToken ct = default) => PlanGuards.PlanAsync(plans, id, ct);

    /// <summary>The current (published) plan of an area key, e.g. <c>street:410105004</c>.</summary>
    public async Task<PlanDetail> CurrentPlanAsync(string? areaKey, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(areaKey)) throw new ArgumentException("请给出区域键，例如 ?area=street:410105004 (give the area key, e.g. ?area=street:410105004).");
        var id = await plans.CurrentPlanIdAsync(areaKey, ct)
            ?? throw new KeyNotFoundException($"区域 {areaKey} 没有现行方案 (area '{areaKey}' has no published plan).");
        return await PlanGuards.PlanAsync(plans, id, ct);
    }

    /// <summary>A plan's cells as GeoJSON features with their statistics.</summary>
    public async Task<FeatureCollection<PlanCellProperties, GeoJsonMultiPolygon>> CellsAsync(long id, CancellationToken ct = default) =>
        await plans.CellFeaturesAsync(id, ct) ?? throw PlanGuards.NoPlan(id);

    /// <summary>A plan's compounds (footprints) as GeoJSON features with their cell.</summary>
    public async Task<FeatureCollection<PlanCompoundProperties, GeoJsonPolygon>> CompoundsAsync(long id, CancellationToken ct = default) =>
        await plans.CompoundFeaturesAsync(id, ct) ?? throw PlanGuards.NoPlan(id);

    /// <summary>The boundary stretches cells <paramref name="a"/> and <paramref name="b"/> share (LineStrings, longest first).</summary>
    public async Task<IReadOnlyList<GeoJsonLineString>> SharedEdgesAsync(long id, int a, int b, CancellationToken ct = default)
    {
        var cells = await plans.CellIndicesAsync(id, ct) ?? throw PlanGuards.NoPlan(id);
        PlanGuards.RequireCells(id, cells, [a, b]);
        return await plans.SharedEdgesAsync(id, a, b, ct);
    }

    private static void RequireKind(string kind)
    {
        if (!AreaKinds.Contains(kind)) throw new ArgumentException($"区域类型 '{kind}' 无效 (kind '{kind}' must be district, street or community).");
    }

    private static string KindName(string kind) => kind switch { "district" => "区", "street" => "街道", _ => "社区" };
}
