using GridMap.Storage.Layers;

namespace GridMap.Api.Endpoints;

/// <summary>Layer catalog, GeoJSON pages with bbox filter and limit, Mapbox vector tiles and TileJSON.</summary>
public static class LayerEndpoints
{
    public sealed record LayerDescription(string Id, string Title, string GeometryType, int MinZoom, int MaxZoom, string TileUrl, string FeaturesUrl);

    public static RouteGroupBuilder MapLayers(this RouteGroupBuilder api)
    {
        api.MapGet("/layers", (LayerCatalog catalog) => TypedResults.Ok(catalog.Layers.Select(l => new LayerDescription(
            l.Id, l.Title, l.GeometryType, l.MinZoom, l.MaxZoom, $"/tiles/{l.Id}/{{z}}/{{x}}/{{y}}.mvt", $"/api/layers/{l.Id}/features"))))
            .WithName("Layers").WithSummary("The map layers GridMap serves");

        api.MapGet("/layers/{layer}/features", async (string layer, string? bbox, int? limit, LayerStore store, HttpContext http, CancellationToken ct) =>
        {
            var box = bbox is null ? BoundingBox.World : BoundingBox.Parse(bbox);
            var page = await store.FeaturesAsync(layer, box, limit ?? 5000, ct);
            http.Response.Headers["X-Total-Count"] = page.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var truncated = page.Truncated ? "true" : "false";
            return Results.Text($$"""{"type":"FeatureCollection","truncated":{{truncated}},"numberReturned":{{page.Count}},"features":{{page.FeaturesJson}}}""",
                "application/geo+json");
        }).WithName("LayerFeatures").WithSummary("GeoJSON features of a layer inside a WGS84 bbox (minLon,minLat,maxLon,maxLat), limit 1–50000 (default 5000)");
        return api;
    }

    public static RouteGroupBuilder MapTiles(this RouteGroupBuilder tiles)
    {
        tiles.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", async (string layer, int z, int x, int y, LayerStore store, HttpContext http, CancellationToken ct) =>
        {
            var bytes = await store.TileAsync(layer, z, x, y, ct);
            http.Response.Headers.CacheControl = "public, max-age=60";
            return bytes.Length == 0 ? Results.NoContent() : Results.Bytes(bytes, "application/vnd.mapbox-vector-tile");
        }).WithName("Tile").WithSummary("Mapbox vector tile of a layer (built in PostGIS with ST_AsMVT)");

        tiles.MapGet("/{layer}.json", (string layer, LayerCatalog catalog, HttpContext http) =>
        {
            var l = catalog.Get(layer);
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            return TypedResults.Ok(new Dictionary<string, object>
            {
                ["tilejson"] = "3.0.0",
                ["name"] = l.Title,
                ["scheme"] = "xyz",
                ["tiles"] = new[] { $"{origin}/tiles/{l.Id}/{{z}}/{{x}}/{{y}}.mvt" },
                ["minzoom"] = l.MinZoom,
                ["maxzoom"] = l.MaxZoom,
                ["bounds"] = new[] { 112.7, 34.2, 114.3, 35.0 },
                ["center"] = new[] { 113.66, 34.76, 12 },
                ["vector_layers"] = new[] { new Dictionary<string, object> { ["id"] = l.Id, ["description"] = l.Title, ["minzoom"] = l.MinZoom, ["maxzoom"] = l.MaxZoom, ["fields"] = new Dictionary<string, string>() } },
            });
        }).WithName("TileJson").WithSummary("TileJSON 3.0 description of a layer's vector tiles");
        return tiles;
    }
}
