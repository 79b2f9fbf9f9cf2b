using GridMap.Application.Stats;

namespace GridMap.Api.Endpoints;

/// <summary>Campaign progress statistics for the manager dashboard: one request for every unit of a level.</summary>
public static class StatsEndpoints
{
    public static RouteGroupBuilder MapStats(this RouteGroupBuilder api)
    {
        api.MapGet("/stats/progress", async (string? by, string? within, string? include, ProgressQueries q, CancellationToken ct) =>
                TypedResults.Ok(await q.ProgressAsync(by, within, include, ct)))
            .WithName("ProgressStats")
            .WithSummary("Campaign figures of every branch|district|street|cell (by) inside the city or within=branch:ID|district:CODE, with the total, "
                + "the as-of time and goals; include=disputes,behind,timeline adds the open disputes, the cells furthest behind schedule and the completion timeline");

        api.MapGet("/stats/progress/timeline", async (string? by, string? within, ProgressQueries q, CancellationToken ct) =>
                TypedResults.Ok(await q.TimelineAsync(by, within, ct)))
            .WithName("ProgressTimeline")
            .WithSummary("Households completed over time (weekly, from the recorded stage history) for the scope and per unit of the level (by)");
        return api;
    }
}
