using GridMap.Storage.Campaign;

namespace GridMap.Api.Endpoints;

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/health", async (CampaignStore store, CancellationToken ct) =>
        {
            try
            {
                var counts = await store.CountsJsonAsync(ct);
                return Results.Text($$"""{"status":"ok","database":"ok","counts":{{counts}}}""", "application/json");
            }
            catch (Npgsql.NpgsqlException e)
            {
                return Results.Problem(statusCode: 503, title: "数据库不可用 Database unavailable", detail: e.Message);
            }
        }).WithName("Health").WithSummary("Service and database health with table counts");
        return api;
    }
}
