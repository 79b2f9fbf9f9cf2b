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
        // gzip'd bytes from the tile cache (never stale: see docs/architecture.md "Tiles and the cache"); browsers
        // revalidate every time (no-cache) and get 304 while the ETag still matches. A signed-in reader's request is usually
        // answered before this endpoint by TileFastPath (same answer, less per-request work: docs/tiles-performance.md).
        tiles.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", async (string layer, int z, int x, int y, LayerQueries q, HttpContext http, CancellationToken ct) =>
        {
            await TileResponse.WriteAsync(http, await q.TileBodyAsync(layer, z, x, y, ct));
            return Results.Empty;
        }).WithName(TileResponse.EndpointName).WithMetadata(TileResponse.Marker)
          .WithSummary("Mapbox vector tile of a layer (ST_AsMVT per zoom; gzip when accepted, ETag/304, Cache-Control no-cache)");

        tiles.MapGet("/{layer}.json", (string layer, LayerQueries q, HttpContext http) =>
            TypedResults.Ok(q.TileJson(layer, $"{http.Request.Scheme}://{http.Request.Host}")))
            .WithName("TileJson").WithSummary("TileJSON 3.0 description of a layer's vector tiles");
        return tiles;
    }
}
