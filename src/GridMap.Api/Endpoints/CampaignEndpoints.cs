using GridMap.Application.Campaign;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Endpoints;

/// <summary>Compound and pipe details, compound search and retrofit progress statistics.</summary>
public static class CampaignEndpoints
{
    public sealed record VisitBody(long? HouseholdId, string? Outcome, string? Consent, string? Notes, DateTimeOffset? VisitedAt);
    public sealed record StageBody(string? Stage);
    public sealed record BypassBody(bool? Bypass);
    public sealed record EvidenceBody(string? Evidence);
    public sealed record AcceptanceBody(bool? Passed, string? Notes);
    public sealed record DisputeBody(string? Summary, string? Owner, long[]? HouseholdIds);
    public sealed record DisputeUpdateBody(string? Status, string? Resolution, string? Owner);
    public sealed record FeeBody(string? Status, string? Collector);
    public sealed record FollowUpBody(DateOnly? VisitedOn, string? Notes);

    public static RouteGroupBuilder MapCampaign(this RouteGroupBuilder api)
    {
        // The compound is a versioned resource: GET answers its ETag, every campaign write honours If-Match (412 when stale).
        var c = api.MapGroup("/compounds/{id:int}").WithPreconditions();
        c.MapGet("", async (int id, CampaignQueries q, CancellationToken ct) => TypedResults.Ok(await q.CompoundAsync(id, ct)))
            .WithName("Compound").WithSummary("All attributes of one compound, with its station, grid cell and responsible staff, campaign stage and both consents (ETag)");
        c.MapGet("/households", async (int id, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.HouseholdsAsync(id, ct)))
            .WithName("CompoundHouseholds").WithSummary("Households of a compound with their consent (contact masked for roles that do not need it)");
        c.MapGet("/campaign", async (int id, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.CampaignAsync(id, ct)))
            .WithName("CompoundCampaign").WithSummary("The campaign picture of a compound: consents, 五化 checklist, disputes, fee, follow-ups, stage history, latest visits");
        c.MapPost("/visits", async (int id, VisitBody? body, CampaignWork w, CancellationToken ct) =>
        {
            if (body is null) throw new ArgumentException("缺少请求内容 (request body is missing).");
            var r = await w.RecordVisitAsync(id, new VisitRequest(body.HouseholdId, body.Outcome, body.Consent, body.Notes, body.VisitedAt), ct);
            return TypedResults.Created($"/api/compounds/{id}/visits/{r.Visit.Id}", r);
        }).WithName("RecordVisit").WithSummary("Record a visit (household or compound-wide publicity) and the household's answer; 201 with the visit");
        c.MapPost("/visits/{visitId:long}/photos", async (int id, long visitId, HttpRequest req, CampaignWork w, IConfiguration config, CancellationToken ct) =>
        {
            using var ms = new MemoryStream();
            await req.Body.CopyToAsync(ms, ct);
            var folder = config["GridMap:Campaign:PhotoFolder"] is { Length: > 0 } f ? f
                : Environment.GetEnvironmentVariable("GRIDMAP_PHOTOS") is { Length: > 0 } e ? e : Path.Combine(".run", "photos");
            return TypedResults.Created($"/api/compounds/{id}/visits/{visitId}", await w.AddPhotoAsync(id, visitId, req.ContentType, ms.ToArray(), folder, ct));
        }).WithName("AddVisitPhoto").WithSummary("Attach a photo (JPEG/PNG/WebP body, at most 5 MB) to a visit; stored under the data folder");
        c.MapPost("/households/{householdId:long}/bypass", async (int id, long householdId, BypassBody? body, CampaignWork w, CancellationToken ct) =>
            TypedResults.Ok(await w.SetBypassAsync(id, householdId, body?.Bypass ?? throw new ArgumentException("请给出 bypass: true|false (give bypass)."), ct)))
            .WithName("SetBypass").WithSummary("Set or clear a household's agreed bypass (跨越管): its unit no longer waits for its consent");
        c.MapPost("/stage", async (int id, StageBody? body, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.MoveStageAsync(id, body?.Stage, ct)))
            .WithName("MoveStage").WithSummary("Move the compound one stage forward if the rules allow: 200 with the compound, or 422 with the unmet rule");
        c.MapPut("/checklist/{item}", async (int id, string item, EvidenceBody? body, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.SignOffAsync(id, item, body?.Evidence, ct)))
            .WithName("SignOffChecklist").WithSummary("Sign off one 五化 acceptance item (design, materials, process, operations, inspection) with evidence");
        c.MapPost("/acceptance", async (int id, AcceptanceBody? body, CampaignWork w, CancellationToken ct) =>
            TypedResults.Ok(await w.RecordAcceptanceAsync(id, body?.Passed ?? throw new ArgumentException("请给出 passed: true|false (give passed)."), body.Notes, ct)))
            .WithName("RecordAcceptance").WithSummary("Record the grid acceptance (并网验收) result");
        c.MapPost("/disputes", async (int id, DisputeBody? body, CampaignWork w, CancellationToken ct) =>
        {
            var d = await w.OpenDisputeAsync(id, body?.Summary, body?.Owner, body?.HouseholdIds, ct);
            return TypedResults.Created($"/api/compounds/{id}/disputes/{d.Id}", d);
        }).WithName("OpenDispute").WithSummary("Open a dispute (纠纷) on the compound and households");
        c.MapPost("/disputes/{disputeId:long}", async (int id, long disputeId, DisputeUpdateBody? body, CampaignWork w, CancellationToken ct) =>
            TypedResults.Ok(await w.UpdateDisputeAsync(id, disputeId, body?.Status, body?.Resolution, body?.Owner, ct)))
            .WithName("UpdateDispute").WithSummary("Move a dispute open → in_progress → resolved (with the resolution)");
        c.MapPut("/fee", async (int id, FeeBody? body, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.SetFeeAsync(id, body?.Status, body?.Collector, ct)))
            .WithName("SetFee").WithSummary("Fee collection (热费代收): who collects, paid / partial / arrears");
        c.MapPost("/follow-ups", async (int id, FollowUpBody? body, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.RecordFollowUpAsync(id, body?.VisitedOn, body?.Notes, ct)))
            .WithName("RecordFollowUp").WithSummary("Record a follow-up visit (回访) of a completed compound");

        api.MapGet("/stats/outcomes", async (string? level, CampaignWork w, CancellationToken ct) => TypedResults.Ok(await w.OutcomesAsync(level, ct)))
            .WithName("CampaignOutcomes").WithSummary("Outcome figures per cell, street, branch or the city: metered heat use before/after where present, else a labelled estimate");

        api.MapGet("/compounds", async (string? q, int? limit, CampaignQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.SearchAsync(q, limit, ct)))
            .WithName("CompoundSearch").WithSummary("Search compounds by name or address (q), name-prefix matches first; limit 1–100 (default 20)");

        api.MapGet("/pipes/{id:long}", async (long id, CampaignQueries q, CancellationToken ct) => TypedResults.Ok(await q.PipeAsync(id, ct)))
            .WithName("Pipe").WithSummary("All attributes of one pipe");

        api.MapGet("/stats/retrofit", async (string? district, CampaignQueries q, CancellationToken ct) => TypedResults.Ok(await q.RetrofitStatsAsync(district, ct)))
            .WithName("RetrofitStats").WithSummary("Compounds, households and disputes per campaign stage, city-wide or for one district (with the extent of its compounds)");
        return api;
    }
}
