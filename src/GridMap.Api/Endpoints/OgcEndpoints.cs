using GridMap.Application.Layers;
using Microsoft.AspNetCore.Mvc;

namespace GridMap.Api.Endpoints;

/// <summary>
/// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS: EPSG:4547) at /ogc: landing page, conformance, collections (every layer
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
            o.AddOperationTransformer(DescribeItemsParameters);
        });

    /// <summary>
    /// The items parameters are bound as text (so a bad value is our 400 naming the parameter, not the binder's); the
    /// document states what they are, as OGC API – Features Part 1 defines them (limit's maximum and default are what
    /// clients such as GDAL read to size their pages).
    /// </summary>
    private static Task DescribeItemsParameters(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        foreach (var p in operation.Parameters ?? [])
        {
            if (p is not Microsoft.OpenApi.OpenApiParameter parameter) continue;
            switch (parameter.Name)
            {
                case "limit":
                    parameter.Description = $"每页要素数 1–{OgcFeatures.MaxLimit}，默认 {OgcFeatures.DefaultLimit} (features per page)";
                    parameter.Schema = new Microsoft.OpenApi.OpenApiSchema
                    {
                        Type = Microsoft.OpenApi.JsonSchemaType.Integer,
                        Minimum = "1",
                        Maximum = OgcFeatures.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Default = System.Text.Json.Nodes.JsonValue.Create(OgcFeatures.DefaultLimit),
                    };
                    parameter.Style = Microsoft.OpenApi.ParameterStyle.Form;
                    parameter.Explode = false;
                    break;
                case "offset":
                    parameter.Description = "跳过的要素数（按 id 排序）(features skipped, in id order; the next link sets it)";
                    parameter.Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer, Minimum = "0", Default = System.Text.Json.Nodes.JsonValue.Create(0) };
                    break;
                case "bbox":
                    parameter.Description = "CRS84 经纬度范围 minLon,minLat,maxLon,maxLat (or 6 numbers with heights)";
                    parameter.Schema = new Microsoft.OpenApi.OpenApiSchema
                    {
                        Type = Microsoft.OpenApi.JsonSchemaType.Array,
                        MinItems = 4,
                        MaxItems = 6,
                        Items = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Number },
                    };
                    parameter.Style = Microsoft.OpenApi.ParameterStyle.Form;
                    parameter.Explode = false;
                    break;
                case "f":
                    parameter.Description = "json → application/json; geojson (default) → application/geo+json";
                    parameter.Schema = new Microsoft.OpenApi.OpenApiSchema
                    {
                        Type = Microsoft.OpenApi.JsonSchemaType.String,
                        Enum = [System.Text.Json.Nodes.JsonValue.Create("json"), System.Text.Json.Nodes.JsonValue.Create("geojson")],
                    };
                    break;
                case "crs" or "bbox-crs":
                    parameter.Description = $"{OgcFeatures.Crs84}（默认，经度,纬度）或 {OgcFeatures.Epsg4547}（北,东 米）(CRS84 lon,lat by default, or EPSG:4547 northing,easting metres)";
                    parameter.Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "uri" };
                    break;
                case "datetime":
                    parameter.Description = "RFC 3339 时间或时间段；图层没有时间属性，不筛选 (no layer has a time: selects every feature)";
                    break;
            }
        }
        return Task.CompletedTask;
    }

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
            http.Response.Headers["Content-Crs"] = $"<{body.Crs}>";
            return Results.Text(body.Json, body.MediaType);
        }).Produces<OgcFeatureCollection>(StatusCodes.Status200OK, OgcFeatures.GeoJson, OgcFeatures.Json)
          .WithName("OgcItems").WithSummary($"Features of a collection: bbox (CRS84 minLon,minLat,maxLon,maxLat), limit 1–{OgcFeatures.MaxLimit} (default {OgcFeatures.DefaultLimit}), offset; next/prev links; f=json for application/json");

        ogc.MapGet("/collections/{collectionId}/items/{featureId}", async (string collectionId, string featureId, string? f, string? crs, OgcFeatures q, HttpContext http, CancellationToken ct) =>
        {
            var body = await q.ItemAsync(collectionId, featureId, f, crs, Origin(http), ct);
            http.Response.Headers["Content-Crs"] = $"<{body.Crs}>";
            return Results.Text(body.Json, body.MediaType);
        }).Produces<OgcFeature>(StatusCodes.Status200OK, OgcFeatures.GeoJson, OgcFeatures.Json)
          .WithName("OgcItem").WithSummary("One feature of a collection (404 ProblemDetails when no feature has that id)");
        return ogc;
    }

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
