using System.Text.Json;
using System.Text.Json.Nodes;
using GridMap.Application.Jobs;
using GridMap.Storage.Planning;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridMap.Api.Endpoints;

/// <summary>
/// The planner's API under /api/planning: partition an area in the background (progress, cancel) into a
/// preview, inspect and edit the preview (move a compound, lock cells, redraw a shared edge, staff), publish
/// it as the area's next plan version, read the current plan. Rule violations answer 422 with the reason,
/// bad input 400, unknown plans/cells/compounds/jobs 404 — all as ProblemDetails (docs/api-planning.md).
/// </summary>
public static class PlanningEndpoints
{
    public sealed record AreaBody(string? Kind, string? Code, JsonElement? Polygon);
    public sealed record PartitionBody(AreaBody? Area, int? Cells, double? Tolerance, double? MinHouseholds, double? MaxHouseholds,
        bool? Barriers, bool? Nest, int? Seed, double? TimeLimit, string? Objective);
    public sealed record MoveBody(int? CompoundId, int? ToCell);
    public sealed record LockBody(bool? Locked);
    public sealed record EdgeBody(int? A, int? B, JsonElement? Edge);
    public sealed record StaffBody(int? StaffId);

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    public static IEndpointRouteBuilder MapPlanning(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/planning").WithTags("Planning");

        g.MapPost("/partitions", async (PartitionBody? body, PartitionJobs jobs, CancellationToken ct) =>
        {
            if (body is null) throw new ArgumentException("缺少请求内容 (request body is missing: give {\"area\": {\"kind\": \"street\", \"code\": \"…\"}, …}).");
            var request = new PlanRequest(ParseArea(body.Area), body.Cells, body.Tolerance, body.MinHouseholds, body.MaxHouseholds,
                body.Barriers ?? true, body.Nest ?? false, body.Seed ?? 1, body.TimeLimit ?? 10, body.Objective ?? "compact");
            var job = await jobs.StartAsync(request, ct);
            return TypedResults.Accepted($"/api/planning/jobs/{job.Id}", job);
        }).WithName("StartPartition").WithSummary("Partition an area (district/street/community code or a drawn polygon) in the background; 202 + job");

        g.MapGet("/areas", async (string? kind, string? district, PlanStore store, CancellationToken ct) => Json(await store.AreasJsonAsync(kind ?? "street", district, ct)))
            .WithName("PlanAreas").WithSummary("Streets (or districts, communities) with compounds: counts, households, largest compound, a point inside");

        g.MapGet("/areas/at", async (double? lon, double? lat, string? kind, PlanStore store, CancellationToken ct) =>
        {
            if (lon is null || lat is null) throw new ArgumentException("give the point as ?lon=…&lat=… (WGS84).");
            return Json(await store.AreaAtJsonAsync(lon.Value, lat.Value, kind ?? "street", ct));
        }).WithName("AreaAt").WithSummary("The district, street or community at a point, with its compounds, households and outline");

        g.MapGet("/jobs/{id}", async (string id, PartitionJobs jobs, CancellationToken ct) => TypedResults.Ok(await jobs.GetAsync(id, ct)))
            .WithName("PartitionJob").WithSummary("Progress of a partition job; planId once it succeeded, error naming the failed constraint otherwise");
        g.MapDelete("/jobs/{id}", async (string id, PartitionJobs jobs, CancellationToken ct) => TypedResults.Ok(await jobs.CancelAsync(id, ct)))
            .WithName("CancelPartitionJob").WithSummary("Cancel a queued or running partition (nothing is saved)");

        g.MapGet("/plans", async (string? area, string? status, PlanStore store, CancellationToken ct) =>
        {
            if (status is not null && status is not ("preview" or "published" or "superseded"))
                throw new ArgumentException($"status '{status}' must be preview, published or superseded.");
            return Json(await store.PlansJsonAsync(area, status, ct));
        }).WithName("Plans").WithSummary("Plans newest first, by area key (e.g. street:410105004) and/or status");

        g.MapGet("/current", async (string? area, PlanStore store, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(area)) throw new ArgumentException("give the area key, e.g. ?area=street:410105004.");
            var id = await store.CurrentPlanIdAsync(area, ct) ?? throw new KeyNotFoundException($"Area '{area}' has no published plan.");
            return Json(await store.PlanJsonAsync(id, ct));
        }).WithName("CurrentPlan").WithSummary("The current (published) plan of an area");

        g.MapGet("/plans/{id:long}", async (long id, PlanStore store, CancellationToken ct) => Json(await store.PlanJsonAsync(id, ct)))
            .WithName("Plan").WithSummary("A plan with per-cell households, deviation, Polsby-Popper, compounds, contiguity, staff, and totals");
        g.MapGet("/plans/{id:long}/cells", async (long id, PlanStore store, CancellationToken ct) => Json(await store.CellsGeoJsonAsync(id, ct), "application/geo+json"))
            .WithName("PlanCells").WithSummary("GeoJSON of a plan's cells with their statistics");
        g.MapGet("/plans/{id:long}/compounds", async (long id, PlanStore store, CancellationToken ct) => Json(await store.CompoundsGeoJsonAsync(id, ct), "application/geo+json"))
            .WithName("PlanCompounds").WithSummary("GeoJSON of a plan's compounds with their cell");
        g.MapGet("/plans/{id:long}/edges", async (long id, int? a, int? b, PlanStore store, CancellationToken ct) =>
        {
            if (a is null || b is null) throw new ArgumentException("give both cells: ?a=0&b=1.");
            return Json(await store.SharedEdgesJsonAsync(id, a.Value, b.Value, ct));
        }).WithName("SharedEdges").WithSummary("The boundary stretches two cells share (GeoJSON LineStrings, longest first)");

        g.MapPost("/plans/{id:long}/moves", async (long id, MoveBody? body, PlanStore store, CancellationToken ct) =>
        {
            if (body?.CompoundId is not { } compound || body.ToCell is not { } to) throw new ArgumentException("give compoundId and toCell.");
            var from = await store.MoveCompoundAsync(id, compound, to, ct);
            return await WithPlan(store, id, new JsonObject { ["accepted"] = true, ["compoundId"] = compound, ["fromCell"] = from, ["toCell"] = to }, ct);
        }).WithName("MoveCompound").WithSummary("Move a compound to a neighbouring cell; 422 with the reason if it is not adjacent, a cell is locked or contiguity would break");

        g.MapPut("/plans/{id:long}/cells/{idx:int}/lock", async (long id, int idx, LockBody? body, PlanStore store, CancellationToken ct) =>
        {
            if (body?.Locked is not { } locked) throw new ArgumentException("give {\"locked\": true|false}.");
            await store.SetLockedAsync(id, idx, locked, ct);
            return Json(await store.PlanJsonAsync(id, ct));
        }).WithName("LockCell").WithSummary("Lock or unlock a cell");

        g.MapPut("/plans/{id:long}/edges", async (long id, EdgeBody? body, PlanStore store, CancellationToken ct) =>
        {
            if (body?.A is not { } a || body.B is not { } b || body.Edge is not { } e) throw new ArgumentException("give cells a and b and the new edge (a GeoJSON LineString).");
            var edge = ParseGeometry(e, "edge") as LineString ?? throw new ArgumentException("edge must be a GeoJSON LineString.");
            var moved = await store.RedrawEdgeAsync(id, a, b, edge, ct);
            return await WithPlan(store, id, new JsonObject { ["accepted"] = true, ["reassigned"] = new JsonArray(moved.Select(m => (JsonNode)m).ToArray()) }, ct);
        }).WithName("RedrawEdge").WithSummary("Redraw the edge two cells share; compounds re-assigned by side; 422 if it splits a compound or breaks contiguity");

        g.MapPost("/plans/{id:long}/staff/auto", async (long id, PlanStore store, StaffTravel travel, CancellationToken ct) =>
        {
            await store.AutoAssignStaffAsync(id, ct);
            var plan = JsonNode.Parse(await store.PlanJsonAsync(id, ct))!.AsObject();
            plan["staffTravel"] = JsonNode.Parse(await travel.PlanTravelJsonAsync(id, ct));
            return Results.Text(plan.ToJsonString(), "application/json");
        }).WithName("AutoAssignStaff").WithSummary("Assign grid workers of the branch to unpinned cells, least total road distance from their base; the plan plus staffTravel (km per cell)");
        g.MapGet("/plans/{id:long}/staff/travel", async (long id, StaffTravel travel, CancellationToken ct) => Json(await travel.PlanTravelJsonAsync(id, ct)))
            .WithName("StaffTravel").WithSummary("Road distance (路网距离, km) from each assigned worker's base to their cell; straight line × detour where the roads cannot join them");
        g.MapPut("/plans/{id:long}/cells/{idx:int}/staff", async (long id, int idx, StaffBody? body, PlanStore store, CancellationToken ct) =>
        {
            if (body?.StaffId is not { } sid) throw new ArgumentException("give {\"staffId\": n} (DELETE the staff to unassign).");
            await store.AssignStaffAsync(id, idx, sid, ct);
            return Json(await store.PlanJsonAsync(id, ct));
        }).WithName("AssignStaff").WithSummary("Assign a staff member to a cell by hand (pinned)");
        g.MapDelete("/plans/{id:long}/cells/{idx:int}/staff", async (long id, int idx, PlanStore store, CancellationToken ct) =>
        {
            await store.AssignStaffAsync(id, idx, null, ct);
            return Json(await store.PlanJsonAsync(id, ct));
        }).WithName("UnassignStaff").WithSummary("Leave a cell without staff");
        g.MapGet("/plans/{id:long}/staff", async (long id, PlanStore store, CancellationToken ct) => Json(await store.StaffJsonAsync(id, ct)))
            .WithName("PlanStaff").WithSummary("Grid workers of the branch, staff without cells and cells without staff");

        g.MapPost("/plans/{id:long}/publish", async (long id, PlanStore store, CancellationToken ct) =>
        {
            var r = await store.PublishAsync(id, ct);
            return await WithPlan(store, id, new JsonObject
            {
                ["published"] = true, ["version"] = r.Version,
                ["superseded"] = new JsonArray(r.Superseded.Select(s => (JsonNode)s).ToArray()),
                ["orphanedCompounds"] = r.OrphanedCompounds,
                ["renumberedCodes"] = new JsonArray(r.RenumberedCodes.Select(s => (JsonNode)s).ToArray()),
            }, ct);
        }).WithName("PublishPlan").WithSummary("Publish a preview as the area's next plan version (grid cells and compound cells replaced in one transaction)");
        return app;
    }

    /// <summary>Services the planning endpoints need.</summary>
    public static IServiceCollection AddPlanning(this IServiceCollection services) =>
        services.AddSingleton<PlanStore>().AddSingleton<PlanPartitioner>().AddSingleton<StaffTravel>();

    private static IResult Json(string json, string type = "application/json") => Results.Text(json, type);

    private static async Task<IResult> WithPlan(PlanStore store, long id, JsonObject head, CancellationToken ct)
    {
        head["plan"] = JsonNode.Parse(await store.PlanJsonAsync(id, ct));
        return Results.Text(head.ToJsonString(), "application/json");
    }

    private static PlanArea ParseArea(AreaBody? a)
    {
        if (a is null) throw new ArgumentException("area is required: {\"kind\": \"district|street|community\", \"code\": \"…\"} or {\"kind\": \"polygon\", \"polygon\": GeoJSON}.");
        var kind = a.Kind ?? (a.Polygon is { ValueKind: JsonValueKind.Object } ? "polygon" : null)
            ?? throw new ArgumentException("area.kind is required (district, street, community or polygon).");
        var polygon = a.Polygon is { ValueKind: JsonValueKind.Object } p ? ParseGeometry(p, "area.polygon") : null;
        return new PlanArea(kind, a.Code, polygon);
    }

    private static Geometry ParseGeometry(JsonElement e, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<Geometry>(e.GetRawText(), GeoJson) ?? throw new ArgumentException($"{what} is empty.");
        }
        catch (JsonException x)
        {
            throw new ArgumentException($"{what} is not a GeoJSON geometry: {x.Message}");
        }
    }
}
