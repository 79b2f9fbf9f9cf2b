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
        // revalidate every time (no-cache) and get 304 while the ETag still matches.
        tiles.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", async (string layer, int z, int x, int y, LayerQueries q, HttpContext http, CancellationToken ct) =>
        {
            var tile = await q.TileBodyAsync(layer, z, x, y, ct);
            var headers = http.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ETag = tile.ETag;
            headers.Vary = "Accept-Encoding";
            if (IfNoneMatch(http.Request, tile.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            if (tile.IsEmpty) return Results.NoContent();
            if (AcceptsGzip(http.Request))
            {
                headers.ContentEncoding = "gzip";
                return Results.Bytes(tile.Gzip, "application/vnd.mapbox-vector-tile");
            }
            return Results.Bytes(tile.Decompress(), "application/vnd.mapbox-vector-tile");
        }).WithName("Tile").WithSummary("Mapbox vector tile of a layer (ST_AsMVT per zoom; gzip when accepted, ETag/304, Cache-Control no-cache)");

        tiles.MapGet("/{layer}.json", (string layer, LayerQueries q, HttpContext http) =>
            TypedResults.Ok(q.TileJson(layer, $"{http.Request.Scheme}://{http.Request.Host}")))
            .WithName("TileJson").WithSummary("TileJSON 3.0 description of a layer's vector tiles");
        return tiles;
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
            foreach (var part in (value ?? "").Split(','))
            {
                var t = part.Trim();
                if (t == "*" || t == etag || (t.StartsWith("W/", StringComparison.Ordinal) && t[2..] == etag)) return true;
            }
        return false;
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
            foreach (var part in (value ?? "").Split(','))
            {
                var p = part.Split(';');
                if (!p[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)) continue;
                // "gzip;q=0" refuses it.
                return !(p.Length > 1 && p[1].Trim().Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            }
        return false;
    }
}
