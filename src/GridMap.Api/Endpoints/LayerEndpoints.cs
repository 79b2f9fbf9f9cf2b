using GridMap.Application.Layers;

namespace GridMap.Api.Endpoints;

/// <summary>Layer catalog, GeoJSON pages with bbox filter and limit, Mapbox vector tiles and TileJSON.</summary>
public static class LayerEndpoints
{
    public static RouteGroupBuilder MapLayers(this RouteGroupBuilder api)
    {
        api.MapGet("/layers", (LayerQueries q) => TypedResults.Ok(q.Layers()))
            .WithName("Layers").WithSummary("The map layers GridMap serves");

        // The page is assembled in PostGIS (json_agg) and passed through as text: GeoJsonFeaturePage documents its shape.
        api.MapGet("/layers/{layer}/features", async (string layer, string? bbox, int? limit, LayerQueries q, HttpContext http, CancellationToken ct) =>
        {
            var page = await q.FeaturesAsync(layer, bbox, limit, ct);
            http.Response.Headers["X-Total-Count"] = page.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var truncated = page.Truncated ? "true" : "false";
            return Results.Text($$"""{"type":"FeatureCollection","truncated":{{truncated}},"numberReturned":{{page.Count}},"features":{{page.FeaturesJson}}}""",
                "application/geo+json");
        }).Produces<GeoJsonFeaturePage>(StatusCodes.Status200OK, "application/geo+json")
          .WithName("LayerFeatures").WithSummary("GeoJSON features of a layer inside a WGS84 bbox (minLon,minLat,maxLon,maxLat), limit 1–50000 (default 5000)");
        return api;
    }

    public static RouteGroupBuilder MapTiles(this RouteGroupBuilder tiles)
    {
        tiles.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", async (string layer, int z, int x, int y, LayerQueries q, HttpContext http, CancellationToken ct) =>
        {
            var bytes = await q.TileAsync(layer, z, x, y, ct);
            http.Response.Headers.CacheControl = "public, max-age=60";
            return bytes.Length == 0 ? Results.NoContent() : Results.Bytes(bytes, "application/vnd.mapbox-vector-tile");
        }).WithName("Tile").WithSummary("Mapbox vector tile of a layer (built in PostGIS with ST_AsMVT)");

        tiles.MapGet("/{layer}.json", (string layer, LayerQueries q, HttpContext http) =>
            TypedResults.Ok(q.TileJson(layer, $"{http.Request.Scheme}://{http.Request.Host}")))
            .WithName("TileJson").WithSummary("TileJSON 3.0 description of a layer's vector tiles");
        return tiles;
    }
}
