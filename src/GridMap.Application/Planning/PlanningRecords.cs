using GridMap.Storage;
using GridMap.Storage.Planning;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Planning;

// Requests of the planning use cases (valid input is checked by the use case; bad input is an ArgumentException).

/// <summary>Move compound <paramref name="CompoundId"/> of plan <paramref name="PlanId"/> into cell <paramref name="ToCell"/>.</summary>
public sealed record MoveCompoundRequest(long PlanId, int CompoundId, int ToCell);

/// <summary>Lock (or unlock) cell <paramref name="Cell"/> of a plan.</summary>
public sealed record LockCellRequest(long PlanId, int Cell, bool Locked);

/// <summary>Replace the edge cells <paramref name="A"/> and <paramref name="B"/> share with <paramref name="Edge"/> (lon/lat).</summary>
public sealed record RedrawEdgeRequest(long PlanId, int A, int B, LineString Edge);

/// <summary>Make staff member <paramref name="StaffId"/> responsible for cell <paramref name="Cell"/> (pinned), or nobody when null.</summary>
public sealed record AssignStaffRequest(long PlanId, int Cell, int? StaffId);

// Results (the JSON the API answers with; camelCase on the wire).

/// <summary>The area of one kind at a point: kind, code, key, name, compounds, households and outline (lon/lat, full precision).</summary>
public sealed record AreaAtPoint(string Kind, string Code, string Key, string Name, int Compounds, int Households, GeoJsonMultiPolygon? Outline);

/// <summary>An accepted move: the compound, the cell it left and the one it joined, and the plan after the move.</summary>
public sealed record MoveResult(bool Accepted, int CompoundId, int FromCell, int ToCell, PlanDetail Plan) : IVersioned
{
    string IVersioned.ETag => Plan.ETag;
}

/// <summary>An accepted edge redraw: the compounds that changed cell, and the plan after it.</summary>
public sealed record RedrawResult(bool Accepted, IReadOnlyList<int> Reassigned, PlanDetail Plan) : IVersioned
{
    string IVersioned.ETag => Plan.ETag;
}

/// <summary>A published plan: its version (≥ 1), the plans it superseded, compounds outside it that lost their cell,
/// cell codes renumbered to stay unique (<c>old→new</c>), and the plan as published.</summary>
public sealed record PublishResult(bool Published, int Version, IReadOnlyList<long> Superseded, int OrphanedCompounds,
    IReadOnlyList<string> RenumberedCodes, PlanDetail Plan) : IVersioned
{
    string IVersioned.ETag => Plan.ETag;
}

/// <summary>The plan after automatic staff assignment, with the road distance of every staffed cell.</summary>
public sealed record PlanWithStaffTravel : PlanDetail
{
    public PlanWithStaffTravel(PlanDetail plan, StaffTravelReport staffTravel) : base(plan) => StaffTravel = staffTravel;

    /// <summary>Road distance from each assigned worker's base to their cell.</summary>
    public StaffTravelReport StaffTravel { get; }
}

/// <summary>The grid workers of a plan's branch with their cell in this plan, the free ones, and the cells without staff.</summary>
public sealed record StaffList(long PlanId, IReadOnlyList<StaffListItem> Staff, IReadOnlyList<StaffRef> StaffWithoutCells, IReadOnlyList<CellRef> CellsWithoutStaff);

/// <summary>A grid worker: id, name, their cell in the plan (index) and whether they hold a cell of another current plan.</summary>
public sealed record StaffListItem(int Id, string Name, int? Cell, bool BusyElsewhere);

/// <summary>A staff member by id and name.</summary>
public sealed record StaffRef(int Id, string Name);

/// <summary>A cell by index and 15-digit code.</summary>
public sealed record CellRef(int Idx, string Code);

/// <summary>
/// Road distance (路网距离) from each assigned worker's base to their cell: how it was measured (zh-CN), the detour factor
/// and snapping distance (m) used where the roads cannot join them, the total (km, 2 decimals), the number of estimated
/// cells, and one row per staffed cell.
/// </summary>
public sealed record StaffTravelReport(long PlanId, string Method, double DetourFactor, double MaxSnapMetres, double TotalKm, int Estimated,
    IReadOnlyList<StaffTravelCell> Cells);

/// <summary>One staffed cell's travel: km (2 decimals) and metres (1 decimal) by road or estimated, the straight line (km),
/// the source (<c>road | estimate</c>) and, for an estimate, why (zh-CN, English in brackets).</summary>
public sealed record StaffTravelCell(int Idx, int StaffId, string StaffName, double Km, double Metres, double StraightKm, string Source, string? Reason);
