using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Storage.Layers;

namespace GridMap.Application.Layers;

/// <summary>A link of OGC API – Features (RFC 8288 relation, media type, title).</summary>
public sealed record OgcLink(
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("rel")] string Rel,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title);

/// <summary>The landing page at /ogc.</summary>
public sealed record OgcLandingPage(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("links")] IReadOnlyList<OgcLink> Links);

/// <summary>The conformance classes GridMap implements.</summary>
public sealed record OgcConformance([property: JsonPropertyName("conformsTo")] IReadOnlyList<string> ConformsTo);

/// <summary>A spatial extent: one bbox [minLon, minLat, maxLon, maxLat] in <see cref="Crs"/> (CRS84).</summary>
public sealed record OgcSpatialExtent(
    [property: JsonPropertyName("bbox")] IReadOnlyList<double[]> Bbox,
    [property: JsonPropertyName("crs")] string Crs);

/// <summary>The extent of a collection (spatial only: no layer has a time dimension).</summary>
public sealed record OgcExtent([property: JsonPropertyName("spatial")] OgcSpatialExtent Spatial);

/// <summary>One collection: a layer of tiles/catalog.json.</summary>
public sealed record OgcCollection(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("itemType")] string ItemType,
    [property: JsonPropertyName("crs")] IReadOnlyList<string> Crs,
    [property: JsonPropertyName("storageCrs")] string StorageCrs,
    [property: JsonPropertyName("extent")] OgcExtent Extent,
    [property: JsonPropertyName("links")] IReadOnlyList<OgcLink> Links);

/// <summary>The collections the caller may read.</summary>
public sealed record OgcCollections(
    [property: JsonPropertyName("links")] IReadOnlyList<OgcLink> Links,
    [property: JsonPropertyName("collections")] IReadOnlyList<OgcCollection> Collections);

/// <summary>
/// The shape of an items response (the features are assembled in PostGIS and passed through as text, so this record
/// documents the body for the OpenAPI document; a test reads real bodies back into it).
/// </summary>
public sealed record OgcFeatureCollection(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timeStamp")] string TimeStamp,
    [property: JsonPropertyName("numberMatched")] int NumberMatched,
    [property: JsonPropertyName("numberReturned")] int NumberReturned,
    [property: JsonPropertyName("features")] IReadOnlyList<OgcFeature> Features,
    [property: JsonPropertyName("links")] IReadOnlyList<OgcLink> Links);

/// <summary>A feature of an OGC collection: its id (a number, or a code for districts, streets and cells), geometry and
/// the same properties /api/layers/{id}/features gives.</summary>
public sealed record OgcFeature(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] JsonElement Id,
    [property: JsonPropertyName("geometry")] GeoJsonGeometry Geometry,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, JsonElement> Properties);

/// <summary>The query of an items request, as bound from the URL (checked by <see cref="OgcFeatures.ItemsAsync"/>).</summary>
public sealed record OgcItemsQuery(string? Bbox, string? BboxCrs, string? Limit, string? Offset, string? Crs, string? Datetime, string? F);

/// <summary>An items page ready to send: the body text, the media type it was asked in and the URI of its coordinate system (Content-Crs).</summary>
public sealed record OgcItemsBody(string Json, string MediaType, string Crs);

/// <summary>
/// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS) over the layer catalog: every layer is a
/// collection, its features are the rows of the layer's view (the same properties /api/layers/{id}/features gives), in
/// CRS84 unless <c>crs</c> asks for EPSG:4547 (written in that CRS's axis order: northing, easting, metres).
/// Paging is by offset over the id order (stable while the data does not change); limit 1–<see cref="MaxLimit"/>,
/// default <see cref="DefaultLimit"/>; anything else is a 400. A caller sees only the layers their role may read
/// (<see cref="LayerAccess"/>): another layer is a 403, an unknown one a 404.
/// </summary>
public sealed class OgcFeatures(LayerStore store, LayerCatalog catalog, ICallerAccessor callers)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    /// <summary>CGCS2000 / 3-degree Gauss-Krüger CM 114E: axis order northing, easting (metres).</summary>
    public const string Epsg4547 = "http://www.opengis.net/def/crs/EPSG/0/4547";
    public const string GeoJson = "application/geo+json";
    public const string Json = "application/json";
    public const string OpenApi30 = "application/vnd.oai.openapi+json;version=3.0";

    /// <summary>Where the OpenAPI 3.0 document describing /ogc is served (relative to the origin).</summary>
    public const string ServiceDescPath = "/openapi/ogc.json";

    public static IReadOnlyList<string> ConformanceClasses { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    ];

    /// <summary>The coordinate systems a client may ask for (crs, bbox-crs), by URI (or safe CURIE), and their SRID.</summary>
    private static readonly Dictionary<string, int> CrsSrids = new(StringComparer.Ordinal)
    {
        [Crs84] = 4326, ["[OGC:CRS84]"] = 4326,
        [Epsg4547] = 4547, ["[EPSG:4547]"] = 4547,
    };

    /// <summary>Every CRS URI the collections offer (storage is CRS84).</summary>
    public static IReadOnlyList<string> SupportedCrs { get; } = [Crs84, Epsg4547];

    private static readonly HashSet<string> ItemsParameters = new(StringComparer.Ordinal) { "bbox", "bbox-crs", "limit", "offset", "crs", "datetime", "f" };

    /// <summary>The query parameters an items request may carry; any other is a 400 (OGC /req/core/query-param-unknown).</summary>
    public static IReadOnlySet<string> KnownItemsParameters => ItemsParameters;

    public OgcLandingPage Landing(string origin) => new(
        "GridMap 郑州供热“串改并”地图数据",
        "GridMap 的图层（小区、网格、行政区、管网等）以 OGC API – Features 提供，GeoJSON，WGS84 经纬度 (CRS84)。",
        [
            new($"{origin}/ogc", "self", Json, "本页 (this document)"),
            new($"{origin}{ServiceDescPath}", "service-desc", OpenApi30, "API 定义 OpenAPI 3.0 (the API definition)"),
            new($"{origin}/docs", "service-doc", "text/html", "API 文档 (API documentation)"),
            new($"{origin}/ogc/conformance", "conformance", Json, "符合的标准类 (conformance classes)"),
            new($"{origin}/ogc/collections", "data", Json, "图层集合 (collections)"),
        ]);

    public OgcConformance Conformance() => new(ConformanceClasses);

    /// <summary>Every catalog layer the caller may read, with its extent.</summary>
    public async Task<OgcCollections> CollectionsAsync(string origin, CancellationToken ct = default)
    {
        var role = callers.Current.Role;
        var list = new List<OgcCollection>();
        foreach (var layer in catalog.Layers.Where(l => LayerAccess.MayRead(role, l.Id)))
            list.Add(await DescribeAsync(layer, origin, ct));
        return new OgcCollections([new($"{origin}/ogc/collections", "self", Json, "图层集合 (collections)")], list);
    }

    /// <summary>One collection (404 unknown, 403 when the caller's role may not read it).</summary>
    public Task<OgcCollection> CollectionAsync(string collectionId, string origin, CancellationToken ct = default) =>
        DescribeAsync(Readable(collectionId), origin, ct);

    /// <summary>
    /// One items page as GeoJSON FeatureCollection text with numberMatched/numberReturned, timeStamp and self/next/prev
    /// links that repeat the query. <paramref name="query"/> is checked here: bad values are 400s naming the parameter.
    /// </summary>
    public async Task<OgcItemsBody> ItemsAsync(string collectionId, OgcItemsQuery query, string origin, CancellationToken ct = default)
    {
        var layer = Readable(collectionId);
        var mediaType = MediaType(query.F);
        var srid = Srid("crs", query.Crs);
        var bboxSrid = Srid("bbox-crs", query.BboxCrs);
        if (query.BboxCrs is not null && query.Bbox is null) throw new ArgumentException("bbox-crs 需要与 bbox 一起使用 (bbox-crs needs a bbox).");
        var bbox = query.Bbox is null ? (CrsBox?)null : ParseBbox(query.Bbox, bboxSrid);
        var limit = ParseInt("limit", query.Limit, DefaultLimit, 1, MaxLimit);
        var offset = ParseInt("offset", query.Offset, 0, 0, int.MaxValue);
        if (query.Datetime is not null) CheckDatetime(query.Datetime);

        var page = await store.ItemsAsync(layer.Id, bbox, srid, limit, offset, ct);
        var items = $"{origin}/ogc/collections/{Uri.EscapeDataString(layer.Id)}/items";
        string Url(int at)
        {
            var p = new List<string>();
            if (query.Bbox is not null) p.Add("bbox=" + Uri.EscapeDataString(query.Bbox));
            if (query.BboxCrs is not null) p.Add("bbox-crs=" + Uri.EscapeDataString(query.BboxCrs));
            if (query.Crs is not null) p.Add("crs=" + Uri.EscapeDataString(query.Crs));
            if (query.Datetime is not null) p.Add("datetime=" + Uri.EscapeDataString(query.Datetime));
            if (query.F is not null) p.Add("f=" + Uri.EscapeDataString(query.F));
            p.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
            if (at > 0) p.Add("offset=" + at.ToString(CultureInfo.InvariantCulture));
            return items + "?" + string.Join("&", p);
        }
        var links = new List<OgcLink> { new(Url(offset), "self", mediaType, "本页 (this page)") };
        if (offset + page.NumberReturned < page.NumberMatched && page.NumberReturned > 0)
            links.Add(new(Url(offset + page.NumberReturned), "next", mediaType, "下一页 (next page)"));
        if (offset > 0) links.Add(new(Url(Math.Max(0, offset - limit)), "prev", mediaType, "上一页 (previous page)"));
        links.Add(new($"{origin}/ogc/collections/{Uri.EscapeDataString(layer.Id)}", "collection", Json, layer.Title));

        var json = $$"""{"type":"FeatureCollection","timeStamp":{{JsonSerializer.Serialize(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}},"numberMatched":{{page.NumberMatched}},"numberReturned":{{page.NumberReturned}},"features":{{page.FeaturesJson}},"links":{{JsonSerializer.Serialize(links)}}}""";
        return new OgcItemsBody(json, mediaType, CrsUri(srid));
    }

    /// <summary>One feature as GeoJSON Feature text with self and collection links (404 when no feature has that id).</summary>
    public async Task<OgcItemsBody> ItemAsync(string collectionId, string featureId, string? f, string? crs, string origin, CancellationToken ct = default)
    {
        var layer = Readable(collectionId);
        var mediaType = MediaType(f);
        var srid = Srid("crs", crs);
        var feature = await store.ItemAsync(layer.Id, featureId, srid, ct)
            ?? throw new KeyNotFoundException($"图层“{layer.Title}”中没有 id 为 '{featureId}' 的要素 (no feature '{featureId}' in collection {layer.Id}).");
        var collection = $"{origin}/ogc/collections/{Uri.EscapeDataString(layer.Id)}";
        OgcLink[] links =
        [
            new($"{collection}/items/{Uri.EscapeDataString(featureId)}", "self", mediaType, "本要素 (this feature)"),
            new(collection, "collection", Json, layer.Title),
        ];
        // The Feature object built in PostGIS ends with '}': the links go in before it.
        return new OgcItemsBody(feature[..feature.LastIndexOf('}')] + $$""","links":{{JsonSerializer.Serialize(links)}}}""", mediaType, CrsUri(srid));
    }

    private LayerInfo Readable(string collectionId)
    {
        var layer = catalog.Get(collectionId);
        var caller = callers.Current;
        var need = LayerAccess.PermissionFor(layer.Id);
        if (!Permissions.Allows(caller.Role, need))
            throw new AccessDenied(AccessDenied.Forbidden,
                $"{Roles.ChineseName(caller.Role)}（{caller.Role}）没有“{need}”权限，不能读取图层“{layer.Title}” (role {caller.Role} lacks permission {need} for collection {layer.Id}).");
        return layer;
    }

    private async Task<OgcCollection> DescribeAsync(LayerInfo layer, string origin, CancellationToken ct)
    {
        var extent = await store.ExtentAsync(layer.Id, ct) ?? [-180, -90, 180, 90];
        var self = $"{origin}/ogc/collections/{Uri.EscapeDataString(layer.Id)}";
        return new OgcCollection(layer.Id, layer.Title, $"{layer.Title}（{GeometryName(layer.GeometryType)}），属性与 /api/layers/{layer.Id}/features 相同",
            "feature", SupportedCrs, Crs84, new OgcExtent(new OgcSpatialExtent([extent], Crs84)),
            [
                new(self, "self", Json, layer.Title),
                new($"{self}/items", "items", GeoJson, $"{layer.Title}要素 (features, GeoJSON)"),
                new($"{self}/items?f=json", "items", Json, $"{layer.Title}要素 (features, JSON)"),
            ]);
    }

    private static string GeometryName(string type) => type switch
    {
        "Polygon" => "面",
        "LineString" => "线",
        "Point" => "点",
        _ => type,
    };

    /// <summary>f=json → application/json; absent or geojson → application/geo+json; anything else is a 400.</summary>
    private static string MediaType(string? f) => f switch
    {
        null or "geojson" => GeoJson,
        "json" => Json,
        _ => throw new ArgumentException($"f '{f}' 不支持，可选 json、geojson (f must be json or geojson)."),
    };

    /// <summary>The SRID of a crs / bbox-crs value (absent = CRS84); anything else is a 400 naming the supported ones.</summary>
    private static int Srid(string name, string? crs)
    {
        if (crs is null) return 4326;
        return CrsSrids.TryGetValue(crs, out var srid) ? srid
            : throw new ArgumentException($"{name} '{crs}' 不支持，可选 {string.Join("、", SupportedCrs)} ({name} must be one of {string.Join(", ", SupportedCrs)}).");
    }

    private static string CrsUri(int srid) => srid == 4547 ? Epsg4547 : Crs84;

    /// <summary>
    /// Four numbers in the axis order of the bbox CRS (CRS84: lon,lat; EPSG:4547: northing,easting), lower corner first;
    /// six numbers are a 3D box whose heights do not matter in 2D data.
    /// </summary>
    private static CrsBox ParseBbox(string text, int srid)
    {
        var parts = text.Split(',');
        var v = new List<double>();
        foreach (var p in parts)
            v.Add(double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d
                : throw new ArgumentException($"bbox '{text}' 应为 4 或 6 个数字 (bbox must be 4 or 6 numbers)."));
        if (v.Count == 6) v = [v[0], v[1], v[3], v[4]];
        if (v.Count != 4) throw new ArgumentException($"bbox '{text}' 应为 4 或 6 个数字 (bbox must be 4 or 6 numbers).");
        return srid == 4547 ? new CrsBox(v[1], v[0], v[3], v[2], 4547) : new CrsBox(v[0], v[1], v[2], v[3], 4326);
    }

    private static int ParseInt(string name, string? text, int fallback, int min, int max)
    {
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new ArgumentException($"{name} '{text}' 无效，应为 {min}–{max} 的整数 ({name} must be an integer from {min} to {max}).");
        return v;
    }

    /// <summary>An RFC 3339 instant or an interval (a/b, either end open with ".." or empty). No layer has a time, so it selects everything.</summary>
    private static void CheckDatetime(string text)
    {
        foreach (var part in text.Split('/'))
        {
            if (part is "" or ".." && text.Contains('/')) continue;
            if (!DateTimeOffset.TryParse(part, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                throw new ArgumentException($"datetime '{text}' 无效，应为 RFC 3339 时间或时间段 (datetime must be an RFC 3339 instant or interval).");
        }
    }
}
