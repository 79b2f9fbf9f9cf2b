namespace GridMap.Application.Stats;

/// <summary>A campaign stage (code, Chinese label) with the scope's compounds and households in it.</summary>
public sealed record StageInfo(string Code, string Label, int Compounds, long Households);

/// <summary>Compounds and households per stage of one unit (same order as <see cref="ProgressReport.Stages"/>).</summary>
/// <remarks>Kept apart from <see cref="ProgressUnit"/>: the OpenAPI generator (Microsoft.AspNetCore.OpenApi 10.0.0) writes a
/// broken path reference for an array inside a schema that is referenced from several places.</remarks>
public sealed record UnitStages(string Code, int[] Compounds, long[] Households);

/// <summary>A unit's goal: the target completed share (0–1), its deadline, and the share expected on the as-of day.</summary>
public sealed record UnitTarget(double Share, DateOnly Deadline, double Expected);

/// <summary>
/// Campaign figures of one unit (or of the whole scope): compounds and households (per stage: <see cref="ProgressReport.UnitStages"/>); completed households and their share of all households (0–1); consent rate
/// weighted by households (0–1); disputed compounds; overdue follow-ups (completed compounds whose next follow-up
/// visit is past due by the campaign's schedule); the goal where one is configured, and whether the unit is behind it (completed share below the expected one).
/// </summary>
public sealed record ProgressUnit(
    string Code, string Name, string? Parent, string? ParentName,
    int Compounds, long Households,
    long HouseholdsCompleted, double CompletedShare, double ConsentRate, int Disputes, int OverdueFollowUps,
    UnitTarget? Target, bool Behind);

/// <summary>A disputed compound: where it is (WGS84 lon/lat on its footprint), its stage, the latest open dispute's summary
/// (<see cref="Notes"/>) and owner, how many of its disputes are not resolved (<see cref="OpenCount"/>, of them
/// <see cref="InProgress"/> in progress) and when the oldest of them was opened. A compound flagged disputed with no
/// dispute record (an import, another tool) has OpenCount 0 and no date.</summary>
public sealed record OpenDispute(int Id, string Name, string DistrictCode, string DistrictName, string? CellCode, string? CellName,
    int Households, string RetrofitStatus, string? Notes, double Lon, double Lat,
    int OpenCount, int InProgress, DateTimeOffset? OldestOpenedAt, string? Owner);

/// <summary>Completed households of one unit at each of <see cref="ProgressTimeline.Dates"/>.</summary>
public sealed record TimelineSeries(string Code, string Name, long[] Completed);

/// <summary>
/// Households completed over time (weekly points, the last one the as-of time) for the scope (<see cref="Total"/>) and per
/// unit of the level, from the recorded stage moves; <see cref="Source"/> names where the history comes from
/// (<c>compound_stage_event</c>) and <see cref="HistoryStart"/> when it begins (null: no recorded history, every compound
/// counts by its current stage at every point). The last point always equals today's completed households.
/// </summary>
public sealed record ProgressTimeline(string By, string Source, DateTimeOffset? HistoryStart, DateTimeOffset[] Dates, long[] Total,
    IReadOnlyList<TimelineSeries> Series);

/// <summary>
/// The progress dashboard's one answer: rows per unit of <see cref="By"/> inside <see cref="Within"/> (null = the city), the
/// scope's total, the compounds of the scope outside every unit of the level (code "", all zero when none), the data's as-of time, and —
/// when asked with <c>include</c> — the open disputes, the units furthest behind schedule (cells; streets while no cell has
/// compounds: <see cref="BehindLevel"/>) and the timeline.
/// </summary>
public sealed record ProgressReport(
    string By, string? Within, string WithinName, DateTimeOffset AsOf, IReadOnlyList<StageInfo> Stages,
    ProgressUnit Total, IReadOnlyList<ProgressUnit> Rows, IReadOnlyList<UnitStages> UnitStages, ProgressUnit Unassigned,
    IReadOnlyList<OpenDispute>? Disputes, IReadOnlyList<ProgressUnit>? Behind, string? BehindLevel, ProgressTimeline? Timeline);
