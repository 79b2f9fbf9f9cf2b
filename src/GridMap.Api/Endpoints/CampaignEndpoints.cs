using GridMap.Storage.Campaign;

namespace GridMap.Api.Endpoints;

/// <summary>Compound and pipe details, and retrofit progress statistics.</summary>
public static class CampaignEndpoints
{
    public sealed record StatsTotal(int Compounds, long Households, int Disputes);
    public sealed record RetrofitStats(string? District, double[]? Extent, StatsTotal Total, IReadOnlyList<StageCount> ByStatus);

    public static RouteGroupBuilder MapCampaign(this RouteGroupBuilder api)
    {
        api.MapGet("/compounds/{id:int}", async (int id, CampaignStore store, CancellationToken ct) =>
            await store.CompoundJsonAsync(id, ct) is { } json ? Results.Text(json, "application/json")
                : throw new KeyNotFoundException($"No compound with id {id}."))
            .WithName("Compound").WithSummary("All attributes of one compound, with its station, grid cell and responsible staff");

        api.MapGet("/compounds", async (string? q, int? limit, CampaignStore store, CancellationToken ct) =>
            Results.Text(await store.SearchJsonAsync(q ?? "", limit ?? 20, ct), "application/json"))
            .WithName("CompoundSearch").WithSummary("Search compounds by name or address (q), name-prefix matches first; limit 1–100 (default 20)");

        api.MapGet("/pipes/{id:long}", async (long id, CampaignStore store, CancellationToken ct) =>
            await store.PipeJsonAsync(id, ct) is { } json ? Results.Text(json, "application/json")
                : throw new KeyNotFoundException($"No pipe with id {id}."))
            .WithName("Pipe").WithSummary("All attributes of one pipe");

        api.MapGet("/stats/retrofit", async (string? district, CampaignStore store, CancellationToken ct) =>
        {
            if (district is not null && !await store.DistrictExistsAsync(district, ct))
                throw new KeyNotFoundException($"No district with code '{district}'.");
            var rows = await store.RetrofitStatsAsync(district, ct);
            var extent = district is null ? null : await store.DistrictExtentAsync(district, ct);
            return TypedResults.Ok(new RetrofitStats(district, extent,
                new StatsTotal(rows.Sum(r => r.Compounds), rows.Sum(r => r.Households), rows.Sum(r => r.Disputes)), rows));
        }).WithName("RetrofitStats").WithSummary("Compounds, households and disputes per campaign stage, city-wide or for one district (with the extent of its compounds)");
        return api;
    }
}
