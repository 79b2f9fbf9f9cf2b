using System.Text.Json;
using System.Text.Json.Serialization;
using GridMap.Storage.Layers;

namespace GridMap.Application.Layers;

/// <summary>A map layer as clients see it: where its tiles and features are.</summary>
public sealed record LayerDescription(string Id, string Title, string GeometryType, int MinZoom, int MaxZoom, string TileUrl, string FeaturesUrl);

/// <summary>One vector layer inside a TileJSON document.</summary>
public sealed record TileJsonLayer(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("minzoom")] int MinZoom,
    [property: JsonPropertyName("maxzoom")] int MaxZoom,
    [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields);

/// <summary>TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec) for one layer's vector tiles; bounds and center in WGS84.</summary>
public sealed record TileJson(
    [property: JsonPropertyName("tilejson")] string Version,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scheme")] string Scheme,
    [property: JsonPropertyName("tiles")] IReadOnlyList<string> Tiles,
    [property: JsonPropertyName("minzoom")] int MinZoom,
    [property: JsonPropertyName("maxzoom")] int MaxZoom,
    [property: JsonPropertyName("bounds")] double[] Bounds,
    [property: JsonPropertyName("center")] double[] Center,
    [property: JsonPropertyName("vector_layers")] IReadOnlyList<TileJsonLayer> VectorLayers);

/// <summary>A GeoJSON geometry (RFC 7946): WGS84 lon/lat, coordinates nested by geometry type.</summary>
public sealed record GeoJsonGeometry(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("coordinates")] JsonElement Coordinates);

/// <summary>A GeoJSON feature of a layer: the row's id, geometry and every other column as a property.</summary>
public sealed record GeoJsonFeature(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("geometry")] GeoJsonGeometry Geometry,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, JsonElement> Properties);

/// <summary>
/// The shape of a layer's GeoJSON page (the body is assembled in PostGIS for speed — up to 50,000 features — so this
/// record documents it in the OpenAPI document; a test reads real bodies back into it). <c>truncated</c> is true when
/// the limit cut the page short.
/// </summary>
public sealed record GeoJsonFeaturePage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("numberReturned")] int NumberReturned,
    [property: JsonPropertyName("features")] IReadOnlyList<GeoJsonFeature> Features);

/// <summary>The map layers' read use cases: the catalog, TileJSON, GeoJSON pages and vector tiles.</summary>
public sealed class LayerQueries(LayerStore store, LayerCatalog catalog, TileCache cache)
{
    /// <summary>Extent of the served data, WGS84 (Zhengzhou and its counties).</summary>
    private static readonly double[] Bounds = [112.7, 34.2, 114.3, 35.0];

    public IReadOnlyList<LayerDescription> Layers() => catalog.Layers.Select(l => new LayerDescription(
        l.Id, l.Title, l.GeometryType, l.MinZoom, l.MaxZoom, $"/tiles/{l.Id}/{{z}}/{{x}}/{{y}}.mvt", $"/api/layers/{l.Id}/features")).ToList();

    /// <summary>TileJSON for a layer; <paramref name="origin"/> is the scheme and host the client reached us by.</summary>
    public TileJson TileJson(string layer, string origin)
    {
        var l = catalog.Get(layer);
        return new TileJson("3.0.0", l.Title, "xyz", [$"{origin}/tiles/{l.Id}/{{z}}/{{x}}/{{y}}.mvt"], l.MinZoom, l.MaxZoom, Bounds, [113.66, 34.76, 12],
            [new TileJsonLayer(l.Id, l.Title, l.MinZoom, l.MaxZoom, l.Fields)]);
    }

    /// <summary>GeoJSON features of a layer inside a bbox ("minLon,minLat,maxLon,maxLat", WGS84; whole world when null), limit 1–50,000 (default 5,000).</summary>
    public Task<FeaturePage> FeaturesAsync(string layer, string? bbox, int? limit, CancellationToken ct = default) =>
        store.FeaturesAsync(layer, bbox is null ? BoundingBox.World : BoundingBox.Parse(bbox), limit ?? 5000, ct);

    /// <summary>MVT bytes of one tile (empty when nothing is in it), straight from PostGIS.</summary>
    public Task<byte[]> TileAsync(string layer, int z, int x, int y, CancellationToken ct = default) => store.TileAsync(layer, z, x, y, ct);

    /// <summary>One tile as sent over HTTP (gzip'd bytes and ETag), current as of this call, through the tile cache.</summary>
    public Task<TileBody> TileBodyAsync(string layer, int z, int x, int y, CancellationToken ct = default)
    {
        catalog.Get(layer);
        return cache.GetAsync(layer, new TileAddress(z, x, y), ct);
    }
}
