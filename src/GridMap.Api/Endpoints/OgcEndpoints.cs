using GridMap.Application.Layers;
using Microsoft.AspNetCore.Mvc;

namespace GridMap.Api.Endpoints;

/// <summary>
/// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) at /ogc: landing page, conformance, collections (every layer
/// of tiles/catalog.json), items with bbox/limit/offset paging and single features, in CRS84. Signed in like the rest
/// (RouteAccess: /ogc needs map.read; network layers need network.read, see LayerAccess). docs/ogc.md.
/// </summary>
public static class OgcEndpoints
{
    /// <summary>The OpenAPI 3.0 document of /ogc alone, served at /openapi/ogc.json (the landing page's service-desc).</summary>
    public static IServiceCollection AddOgcOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("ogc", o =>
        {
            o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0;
            o.ShouldInclude = d => d.RelativePath is { } p && (p == "ogc" || p.StartsWith("ogc/", StringComparison.Ordinal));
        });

    public static RouteGroupBuilder MapOgc(this RouteGroupBuilder ogc)
    {
        ogc.MapGet("", (OgcFeatures q, HttpContext http) => TypedResults.Ok(q.Landing(Origin(http))))
            .WithName("OgcLanding").WithSummary("OGC API – Features landing page (links to the API definition, conformance and collections)");

        ogc.MapGet("/conformance", (OgcFeatures q) => TypedResults.Ok(q.Conformance()))
            .WithName("OgcConformance").WithSummary("OGC API – Features conformance classes (Core, GeoJSON, OpenAPI 3.0)");

        ogc.MapGet("/collections", async (OgcFeatures q, HttpContext http, CancellationToken ct) => TypedResults.Ok(await q.CollectionsAsync(Origin(http), ct)))
            .WithName("OgcCollections").WithSummary("Every layer the caller may read, as a collection with its CRS84 extent");

        ogc.MapGet("/collections/{collectionId}", async (string collectionId, OgcFeatures q, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await q.CollectionAsync(collectionId, Origin(http), ct)))
            .WithName("OgcCollection").WithSummary("One collection (404 unknown, 403 when the role may not read it)");

        // The page is assembled in PostGIS and passed through as text: OgcFeatureCollection documents its shape.
        ogc.MapGet("/collections/{collectionId}/items", async (string collectionId, string? bbox, [FromQuery(Name = "bbox-crs")] string? bboxCrs,
            string? limit, string? offset, string? crs, string? datetime, string? f, OgcFeatures q, HttpContext http, CancellationToken ct) =>
        {
            var unknown = http.Request.Query.Keys.Where(k => !OgcFeatures.KnownItemsParameters.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"未知参数 {string.Join(", ", unknown)}，可用：{string.Join(", ", OgcFeatures.KnownItemsParameters)} (unknown query parameter {string.Join(", ", unknown)}).");
            var body = await q.ItemsAsync(collectionId, new OgcItemsQuery(bbox, bboxCrs, limit, offset, crs, datetime, f), Origin(http), ct);
            http.Response.Headers["Content-Crs"] = $"<{OgcFeatures.Crs84}>";
            return Results.Text(body.Json, body.MediaType);
        }).Produces<OgcFeatureCollection>(StatusCodes.Status200OK, OgcFeatures.GeoJson, OgcFeatures.Json)
          .WithName("OgcItems").WithSummary($"Features of a collection: bbox (CRS84 minLon,minLat,maxLon,maxLat), limit 1–{OgcFeatures.MaxLimit} (default {OgcFeatures.DefaultLimit}), offset; next/prev links; f=json for application/json");

        ogc.MapGet("/collections/{collectionId}/items/{featureId}", async (string collectionId, string featureId, string? f, OgcFeatures q, HttpContext http, CancellationToken ct) =>
        {
            var body = await q.ItemAsync(collectionId, featureId, f, Origin(http), ct);
            http.Response.Headers["Content-Crs"] = $"<{OgcFeatures.Crs84}>";
            return Results.Text(body.Json, body.MediaType);
        }).Produces<OgcFeature>(StatusCodes.Status200OK, OgcFeatures.GeoJson, OgcFeatures.Json)
          .WithName("OgcItem").WithSummary("One feature of a collection (404 ProblemDetails when no feature has that id)");
        return ogc;
    }

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
