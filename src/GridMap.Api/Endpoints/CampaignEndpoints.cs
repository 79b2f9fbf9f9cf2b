using GridMap.Storage.Campaign;

namespace GridMap.Api.Endpoints;

/// <summary>Compound and pipe details, and retrofit progress statistics.</summary>
public static class CampaignEndpoints
{
    public sealed record StatsTotal(int Compounds, long Households);
    public sealed record RetrofitStats(string? District, StatsTotal Total, IReadOnlyList<StageCount> ByStatus);

    public static RouteGroupBuilder MapCampaign(this RouteGroupBuilder api)
    {
        api.MapGet("/compounds/{id:int}", async (int id, CampaignStore store, CancellationToken ct) =>
            await store.CompoundJsonAsync(id, ct) is { } json ? Results.Text(json, "application/json")
                : throw new KeyNotFoundException($"No compound with id {id}."))
            .WithName("Compound").WithSummary("All attributes of one compound, with its station, grid cell and responsible staff");

        api.MapGet("/pipes/{id:long}", async (long id, CampaignStore store, CancellationToken ct) =>
            await store.PipeJsonAsync(id, ct) is { } json ? Results.Text(json, "application/json")
                : throw new KeyNotFoundException($"No pipe with id {id}."))
            .WithName("Pipe").WithSummary("All attributes of one pipe");

        api.MapGet("/stats/retrofit", async (string? district, CampaignStore store, CancellationToken ct) =>
        {
            if (district is not null && !await store.DistrictExistsAsync(district, ct))
                throw new KeyNotFoundException($"No district with code '{district}'.");
            var rows = await store.RetrofitStatsAsync(district, ct);
            return TypedResults.Ok(new RetrofitStats(district, new StatsTotal(rows.Sum(r => r.Compounds), rows.Sum(r => r.Households)), rows));
        }).WithName("RetrofitStats").WithSummary("Compounds and households per campaign stage, city-wide or for one district");
        return api;
    }
}
