using GridMap.Application.Campaign;

namespace GridMap.Api.Endpoints;

/// <summary>Compound and pipe details, compound search and retrofit progress statistics.</summary>
public static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaign(this RouteGroupBuilder api)
    {
        api.MapGet("/compounds/{id:int}", async (int id, CampaignQueries q, CancellationToken ct) => TypedResults.Ok(await q.CompoundAsync(id, ct)))
            .WithName("Compound").WithSummary("All attributes of one compound, with its station, grid cell and responsible staff");

        api.MapGet("/compounds", async (string? q, int? limit, CampaignQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.SearchAsync(q, limit, ct)))
            .WithName("CompoundSearch").WithSummary("Search compounds by name or address (q), name-prefix matches first; limit 1–100 (default 20)");

        api.MapGet("/pipes/{id:long}", async (long id, CampaignQueries q, CancellationToken ct) => TypedResults.Ok(await q.PipeAsync(id, ct)))
            .WithName("Pipe").WithSummary("All attributes of one pipe");

        api.MapGet("/stats/retrofit", async (string? district, CampaignQueries q, CancellationToken ct) => TypedResults.Ok(await q.RetrofitStatsAsync(district, ct)))
            .WithName("RetrofitStats").WithSummary("Compounds, households and disputes per campaign stage, city-wide or for one district (with the extent of its compounds)");
        return api;
    }
}
