using GridMap.Application.Audit;

namespace GridMap.Api.Endpoints;

/// <summary>/api/history: the audit log of one entity, newest first, paged.</summary>
public static class HistoryEndpoints
{
    public static RouteGroupBuilder MapHistory(this RouteGroupBuilder api)
    {
        api.MapGet("/history", async (string? entity, string? id, long? before, int? limit, HistoryQueries q, CancellationToken ct) =>
            TypedResults.Ok(await q.HistoryAsync(entity, id, before, limit, ct)))
            .WithName("History")
            .WithSummary("Changes to an entity (entity=compound|plan|cell|valve|pipe|staff|district|user|job|household|visit|visit_photo|acceptance_item|dispute|follow_up_visit, id), newest first: who, role, when, use case, before/after (geometry as hash + area), area change; limit 1–500 (default 50), before=nextBefore for older ones");
        return api;
    }
}
