using System.Text.Json.Serialization;

namespace GridMap.Storage.Planning;

/// <summary>
/// One plan as the planner reads it: status (<c>preview | published | superseded</c>), version (≥ 1, null for a
/// preview), area, the request it was made from, the engine's report, the households bounds per cell and the target
/// (households, lower ≤ target ≤ upper), bbox [minLon, minLat, maxLon, maxLat] of the plan area, timestamps, per-cell
/// statistics (ordered by cell index), the arterial-road crossings the engine allowed, and totals.
/// </summary>
public record PlanDetail(long Id, string Status, int? Version, PlanAreaInfo Area, PlanParams Params, PlanSearch? Search,
    double LowerBound, double UpperBound, double Target, double[] Bbox,
    DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, DateTimeOffset? SupersededAt, long? SupersededBy,
    IReadOnlyList<PlanCellStats> Cells, IReadOnlyList<BarrierCrossing> BarrierCrossings, PlanTotals Totals) : IVersioned
{
    /// <summary>The plan's revision (≥ 1): bumped by every accepted write to the plan, its cells, compounds or staff.</summary>
    public long Revision { get; init; } = 1;

    /// <summary>Strong entity tag of this revision (<c>"plan-42-r7"</c>), also sent as the <c>ETag</c> header; send it back as
    /// <c>If-Match</c> with a write.</summary>
    [JsonPropertyName("etag")]
    public string ETag => ETags.Format("plan", Id, Revision);

    /// <summary>For a preview restored from a published version: that version's plan id.</summary>
    public long? RestoredFrom { get; init; }
}

/// <summary>A published version of an area: its plan id, version (≥ 1), status (published = current, or superseded), when it
/// was published and superseded, the plan it was restored from (if any), cells, compounds, households, who published it.</summary>
public sealed record PlanVersion(long PlanId, int Version, string Status, DateTimeOffset PublishedAt, DateTimeOffset? SupersededAt, long? RestoredFrom,
    long Cells, long Compounds, long Households, string? PublishedBy);

/// <summary>The area a plan covers: kind (district | street | community | polygon), code (null for a polygon), key
/// (identity across versions, e.g. <c>street:410105004</c>), name and 6-digit district code.</summary>
public sealed record PlanAreaInfo(string Kind, string? Code, string Key, string Name, string DistrictCode);

/// <summary>The area part of <see cref="PlanParams"/>: kind and code (null for a drawn polygon).</summary>
public sealed record PlanParamsArea(string Kind, string? Code);

/// <summary>
/// The partition request a plan was made from, as stored with it: either <see cref="Cells"/> (1–999) with ±
/// <see cref="Tolerance"/> (0–1), or households per cell <see cref="MinHouseholds"/>–<see cref="MaxHouseholds"/>
/// (the other pair null); arterial roads as barriers, nesting in communities, seed, time limit (s, 0–120] and objective
/// (compact | cut-edges).
/// </summary>
public sealed record PlanParams(PlanParamsArea Area, int? Cells, double? Tolerance, double? MinHouseholds, double? MaxHouseholds,
    bool Barriers, bool Nest, int Seed, double TimeLimit, string Objective);

/// <summary>
/// What the engine reported for a plan: seconds (wall time of the run, 2 decimals), starts, whether the time limit
/// was reached, mean Polsby-Popper of its own metric cells (4 decimals), cut edges, number of arterial roads in the
/// area, barrier mode (soft | hard), crossings it allowed, oversize and undersize cells, units (compounds), whether a
/// plan within the window was found, and its notes for planners (zh-CN). Plans saved by older versions lack some
/// members; a missing member is left out of the JSON, as it was stored.
/// </summary>
public sealed record PlanSearch
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Seconds { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Starts { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? TimeLimitReached { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? MeanPolsbyPopperMetric { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? CutEdges { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Barriers { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BarrierMode { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? BarrierCrossings { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? OversizeCells { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? UndersizeCells { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Units { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Feasible { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Warnings { get; init; }
    /// <summary>Exact mode's answer (see <see cref="PlanExact"/>); null when exact mode did not run.</summary>
    public PlanExact? Exact { get; init; }
}

/// <summary>
/// Statistics of one cell of a plan: index (0-based), 15-digit code, name, households and compounds (≥ 0), deviation
/// = households / target − 1 and Polsby-Popper 4πA/P² on the ellipsoid (0–1), both rounded to 4 decimals;
/// contiguity, within the bounds (or an exception cell), oversize / undersize (exception cells), lock, staff, and a
/// point inside the cell for its label ([lon, lat], 6 decimals).
/// </summary>
public sealed record PlanCellStats(int Idx, string Code, string Name, int Households, int Compounds, decimal Deviation, decimal PolsbyPopper,
    bool Contiguous, bool WithinBounds, bool Oversize, bool Undersize, bool Locked, int? StaffId, string? StaffName, bool StaffPinned,
    decimal[] LabelPoint);

/// <summary>An arterial-road crossing the engine allowed between compounds <see cref="A"/> &lt; <see cref="B"/> (ids, names),
/// drawn as the line between their footprints' centres (7 decimals).</summary>
public sealed record BarrierCrossing(int A, int B, string AName, string BName, GeoJsonLineString Line);

/// <summary>Totals over a plan's cells: counts, households, compounds, the largest |deviation| and the mean Polsby-Popper
/// (4 decimals), whether every cell is contiguous and within bounds, exception cells, cells without staff, locked cells.</summary>
public sealed record PlanTotals(long Cells, long Households, long Compounds, decimal MaxDeviation, decimal MeanPolsbyPopper,
    bool AllContiguous, bool AllWithinBounds, long OversizeCells, long UndersizeCells, long CellsWithoutStaff, long LockedCells);

/// <summary>A plan in a list: id, status, version, area key and name, district, when it was made and published, the plan
/// that superseded it, number of cells.</summary>
public sealed record PlanSummary(long Id, string Status, int? Version, string AreaKey, string AreaName, string DistrictCode,
    DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, long? SupersededBy, long Cells);

/// <summary>Properties of a cell feature: the statistics of <see cref="PlanCellStats"/> without the label point.</summary>
public sealed record PlanCellProperties(int Idx, string Code, string Name, int Households, int Compounds, decimal Deviation, decimal PolsbyPopper,
    bool WithinBounds, bool Oversize, bool Undersize, bool Contiguous, bool Locked, int? StaffId, string? StaffName, bool StaffPinned);

/// <summary>Properties of a compound feature: id, name, households, its cell index in the plan, community and street codes.</summary>
public sealed record PlanCompoundProperties(int Id, string Name, int Households, int Cell, string? Community, string? Street);
