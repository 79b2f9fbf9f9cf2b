using GridMap.Application.StaffWork;

namespace GridMap.Api.Endpoints;

/// <summary>/api/staff/work: the signed-in staff member's cells and compounds, for the staff phone view (#/staff).</summary>
public static class StaffWorkEndpoints
{
    public static RouteGroupBuilder MapStaffWork(this RouteGroupBuilder api)
    {
        api.MapGet("/staff/work", async (StaffWorkQueries q, CancellationToken ct) => TypedResults.Ok(await q.MineAsync(ct)))
            .WithName("StaffWork")
            .WithSummary("My cells (the staff record the signed-in user is linked to) with their compounds: stage, households, not yet visited, follow-up due / overdue");
        return api;
    }
}
