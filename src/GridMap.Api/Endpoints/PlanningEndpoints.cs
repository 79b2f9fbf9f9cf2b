using System.Text.Json;
using GridMap.Application.Jobs;
using GridMap.Application.Planning;
using GridMap.Storage.Planning;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridMap.Api.Endpoints;

/// <summary>
/// The planner's API under /api/planning: partition an area in the background (progress, cancel) into a
/// preview, inspect and edit the preview (move a compound, lock cells, redraw a shared edge, staff), publish
/// it as the area's next plan version, read the current plan. Endpoints only bind and call the planning use
/// cases (GridMap.Application.Planning); rule violations answer 422 with the rule code, bad input 400, unknown
/// plans/cells/compounds/jobs 404 — all as ProblemDetails (docs/api-planning.md).
/// </summary>
///
/// Every write honours <c>If-Match</c> (412 <c>precondition-failed</c> with the current plan when it is stale) and every
/// answer carrying a plan has its <c>ETag</c> (<see cref="ConditionalWrites"/>).
public static class PlanningEndpoints
{
    public sealed record AreaBody(string? Kind, string? Code, JsonElement? Polygon);
    public sealed record PartitionBody(AreaBody? Area, int? Cells, double? Tolerance, double? MinHouseholds, double? MaxHouseholds,
        bool? Barriers, bool? Nest, int? Seed, double? TimeLimit, string? Objective);
    public sealed record MoveBody(int? CompoundId, int? ToCell);
    public sealed record LockBody(bool? Locked);
    public sealed record EdgeBody(int? A, int? B, JsonElement? Edge);
    public sealed record StaffBody(int? StaffId);

    private static readonly JsonSerializerOptions GeoJsonGeometries = new() { Converters = { new GeoJsonConverterFactory() } };

    public static IEndpointRouteBuilder MapPlanning(this IEndpointRouteBuilder app)
    {
        // If-Match on every write, ETag on every answer that carries a plan (ConditionalWrites).
        var g = app.MapGroup("/api/planning").WithTags("Planning").WithPreconditions();
        g.MapPost("/partitions", async (PartitionBody? body, PartitionJobs jobs, CancellationToken ct) =>
        {
            if (body is null) throw new ArgumentException("缺少请求内容 (request body is missing: give {\"area\": {\"kind\": \"street\", \"code\": \"…\"}, …}).");
            var request = new PlanRequest(ParseArea(body.Area), body.Cells, body.Tolerance, body.MinHouseholds, body.MaxHouseholds,
                body.Barriers ?? true, body.Nest ?? false, body.Seed ?? 1, body.TimeLimit ?? 10, body.Objective ?? "compact");
            var job = await jobs.StartAsync(request, ct);
            return TypedResults.Accepted($"/api/planning/jobs/{job.Id}", job);
        }).WithName("StartPartition").WithSummary("Partition an area (district/street/community code or a drawn polygon) in the background; 202 + job");

        g.MapGet("/areas", async (string? kind, string? district, PlanReading read, CancellationToken ct) =>
            TypedResults.Ok(await read.AreasAsync(kind ?? "street", district, ct)))
            .WithName("PlanAreas").WithSummary("Streets (or districts, communities) with compounds: counts, households, largest compound, a point inside");

        g.MapGet("/areas/at", async (double? lon, double? lat, string? kind, PlanReading read, CancellationToken ct) =>
        {
            if (lon is null || lat is null) throw new ArgumentException("请给出位置 ?lon=…&lat=… (give the point as ?lon=…&lat=…, WGS84).");
            return TypedResults.Ok(await read.AreaAtAsync(lon.Value, lat.Value, kind ?? "street", ct));
        }).WithName("AreaAt").WithSummary("The district, street or community at a point, with its compounds, households and outline");

        g.MapGet("/jobs/{id}", async (string id, PartitionJobs jobs, CancellationToken ct) => TypedResults.Ok(await jobs.GetAsync(id, ct)))
            .WithName("PartitionJob").WithSummary("Progress of a partition job; planId once it succeeded, error naming the failed constraint otherwise");
        g.MapDelete("/jobs/{id}", async (string id, PartitionJobs jobs, CancellationToken ct) => TypedResults.Ok(await jobs.CancelAsync(id, ct)))
            .WithName("CancelPartitionJob").WithSummary("Cancel a queued or running partition (nothing is saved)");

        g.MapGet("/plans", async (string? area, string? status, PlanReading read, CancellationToken ct) => TypedResults.Ok(await read.PlansAsync(area, status, ct)))
            .WithName("Plans").WithSummary("Plans newest first, by area key (e.g. street:410105004) and/or status");
        g.MapGet("/current", async (string? area, PlanReading read, CancellationToken ct) => TypedResults.Ok(await read.CurrentPlanAsync(area, ct)))
            .WithName("CurrentPlan").WithSummary("The current (published) plan of an area");
        g.MapGet("/plans/{id:long}", async (long id, PlanReading read, CancellationToken ct) => TypedResults.Ok(await read.PlanAsync(id, ct)))
            .WithName("Plan").WithSummary("A plan with per-cell households, deviation, Polsby-Popper, compounds, contiguity, staff, and totals");
        g.MapGet("/plans/{id:long}/cells", async (long id, PlanReading read, CancellationToken ct) => GeoJson(await read.CellsAsync(id, ct)))
            .Produces<FeatureCollection<PlanCellProperties, GeoJsonMultiPolygon>>(StatusCodes.Status200OK, GeoJsonType)
            .WithName("PlanCells").WithSummary("GeoJSON of a plan's cells with their statistics");
        g.MapGet("/plans/{id:long}/compounds", async (long id, PlanReading read, CancellationToken ct) => GeoJson(await read.CompoundsAsync(id, ct)))
            .Produces<FeatureCollection<PlanCompoundProperties, GeoJsonPolygon>>(StatusCodes.Status200OK, GeoJsonType)
            .WithName("PlanCompounds").WithSummary("GeoJSON of a plan's compounds with their cell");
        g.MapGet("/plans/{id:long}/edges", async (long id, int? a, int? b, PlanReading read, CancellationToken ct) =>
        {
            if (a is null || b is null) throw new ArgumentException("请给出两个网格 ?a=0&b=1 (give both cells: ?a=0&b=1).");
            return TypedResults.Ok(await read.SharedEdgesAsync(id, a.Value, b.Value, ct));
        }).WithName("SharedEdges").WithSummary("The boundary stretches two cells share (GeoJSON LineStrings, longest first)");

        g.MapPost("/plans/{id:long}/moves", async (long id, MoveBody? body, PlanEditing edit, CancellationToken ct) =>
        {
            if (body?.CompoundId is not { } compound || body.ToCell is not { } to) throw new ArgumentException("请给出 compoundId 和 toCell (give compoundId and toCell).");
            return TypedResults.Ok(await edit.MoveCompoundAsync(new MoveCompoundRequest(id, compound, to), ct));
        }).WithName("MoveCompound").WithSummary("Move a compound to a neighbouring cell; 422 with the rule if it is not adjacent, a cell is locked or contiguity would break");

        g.MapGet("/plans/{id:long}/compounds/{compoundId:int}/moves", async (long id, int compoundId, PlanMoves moves, CancellationToken ct) =>
            TypedResults.Ok(await moves.OptionsAsync(id, compoundId, ct)))
            .WithName("MoveOptions").WithSummary("Before a move: the neighbouring cells a compound can move into, best fit first, each with both cells' households after the move, where they stand against the window and the rule refusing it (if any)");

        g.MapPut("/plans/{id:long}/cells/{idx:int}/lock", async (long id, int idx, LockBody? body, PlanEditing edit, CancellationToken ct) =>
        {
            if (body?.Locked is not { } locked) throw new ArgumentException("请给出 {\"locked\": true|false} (give {\"locked\": true|false}).");
            return TypedResults.Ok(await edit.LockCellAsync(new LockCellRequest(id, idx, locked), ct));
        }).WithName("LockCell").WithSummary("Lock or unlock a cell");

        g.MapPut("/plans/{id:long}/edges", async (long id, EdgeBody? body, PlanEditing edit, CancellationToken ct) =>
        {
            if (body?.A is not { } a || body.B is not { } b || body.Edge is not { } e)
                throw new ArgumentException("请给出网格 a、b 和新边界（GeoJSON LineString）(give cells a and b and the new edge, a GeoJSON LineString).");
            var edge = ParseGeometry(e, "edge") as LineString ?? throw new ArgumentException("新边界必须是 GeoJSON LineString (edge must be a GeoJSON LineString).");
            return TypedResults.Ok(await edit.RedrawEdgeAsync(new RedrawEdgeRequest(id, a, b, edge), ct));
        }).WithName("RedrawEdge").WithSummary("Redraw the edge two cells share; compounds re-assigned by side; 422 if it splits a compound or breaks contiguity");

        g.MapPost("/plans/{id:long}/staff/auto", async (long id, PlanStaffing staff, CancellationToken ct) => TypedResults.Ok(await staff.AutoAssignAsync(id, ct)))
            .WithName("AutoAssignStaff").WithSummary("Assign grid workers of the branch to unpinned cells, least total road distance from their base; the plan plus staffTravel (km per cell)");
        g.MapGet("/plans/{id:long}/staff/travel", async (long id, PlanStaffing staff, CancellationToken ct) => TypedResults.Ok(await staff.TravelAsync(id, ct)))
            .WithName("StaffTravel").WithSummary("Road distance (路网距离, km) from each assigned worker's base to their cell; straight line × detour where the roads cannot join them");
        g.MapPut("/plans/{id:long}/cells/{idx:int}/staff", async (long id, int idx, StaffBody? body, PlanStaffing staff, CancellationToken ct) =>
        {
            if (body?.StaffId is not { } sid) throw new ArgumentException("请给出 {\"staffId\": n}，取消请用 DELETE (give {\"staffId\": n}; DELETE the staff to unassign).");
            return TypedResults.Ok(await staff.AssignAsync(new AssignStaffRequest(id, idx, sid), ct));
        }).WithName("AssignStaff").WithSummary("Assign a staff member to a cell by hand (pinned)");
        g.MapDelete("/plans/{id:long}/cells/{idx:int}/staff", async (long id, int idx, PlanStaffing staff, CancellationToken ct) =>
            TypedResults.Ok(await staff.AssignAsync(new AssignStaffRequest(id, idx, null), ct)))
            .WithName("UnassignStaff").WithSummary("Leave a cell without staff");
        g.MapGet("/plans/{id:long}/staff", async (long id, PlanStaffing staff, CancellationToken ct) => TypedResults.Ok(await staff.StaffAsync(id, ct)))
            .WithName("PlanStaff").WithSummary("Grid workers of the branch, staff without cells and cells without staff");

        g.MapPost("/plans/{id:long}/publish", async (long id, PlanPublishing publishing, CancellationToken ct) => TypedResults.Ok(await publishing.PublishAsync(id, ct)))
            .WithName("PublishPlan").WithSummary("Publish a preview as the area's next plan version (grid cells and compound cells replaced in one transaction)");

        g.MapGet("/versions", async (string? area, PlanVersions versions, CancellationToken ct) => TypedResults.Ok(await versions.VersionsAsync(area, ct)))
            .WithName("PlanVersions").WithSummary("The published versions of an area (current and superseded), newest first: plan id, version, dates, cells, households, who published it");
        g.MapGet("/versions/{version:int}", async (int version, string? area, PlanVersions versions, CancellationToken ct) => TypedResults.Ok(await versions.VersionAsync(area, version, ct)))
            .WithName("PlanVersion").WithSummary("One published version of an area (?area=street:…) as a plan; its cells and compounds at /plans/{planId}/cells and /compounds");
        g.MapPost("/plans/{id:long}/restore", async (long id, PlanVersions versions, CancellationToken ct) =>
        {
            var preview = await versions.RestoreAsync(id, ct);
            return TypedResults.Created($"/api/planning/plans/{preview.Id}", preview);
        }).WithName("RestorePlanVersion").WithSummary("Copy a published (or superseded) version as a new preview (201 + the preview); 422 not-a-version for a preview");
        return app;
    }

    private const string GeoJsonType = "application/geo+json";

    private static JsonHttpResult<T> GeoJson<T>(T value) => TypedResults.Json(value, contentType: GeoJsonType);

    private static PlanArea ParseArea(AreaBody? a)
    {
        if (a is null) throw new ArgumentException("缺少划分范围 (area is required: {\"kind\": \"district|street|community\", \"code\": \"…\"} or {\"kind\": \"polygon\", \"polygon\": GeoJSON}).");
        var kind = a.Kind ?? (a.Polygon is { ValueKind: JsonValueKind.Object } ? "polygon" : null)
            ?? throw new ArgumentException("缺少区域类型 (area.kind is required: district, street, community or polygon).");
        var polygon = a.Polygon is { ValueKind: JsonValueKind.Object } p ? ParseGeometry(p, "area.polygon") : null;
        return new PlanArea(kind, a.Code, polygon);
    }

    private static Geometry ParseGeometry(JsonElement e, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<Geometry>(e.GetRawText(), GeoJsonGeometries) ?? throw new ArgumentException($"{what} 为空 ({what} is empty).");
        }
        catch (JsonException x)
        {
            throw new ArgumentException($"{what} 不是 GeoJSON 几何 ({what} is not a GeoJSON geometry: {x.Message}).");
        }
    }
}
