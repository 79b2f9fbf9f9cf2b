using Npgsql;

namespace GridMap.Storage.Layers;

/// <summary>A bounding box in WGS84 degrees, valid from birth: min &lt; max, inside lon ±180 / lat ±90.</summary>
public readonly record struct BoundingBox
{
    public BoundingBox(double minLon, double minLat, double maxLon, double maxLat)
    {
        if (!(minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90))
            throw new ArgumentException($"bbox 超出经纬度范围，坐标须为 WGS84 经纬度 (bbox {minLon},{minLat},{maxLon},{maxLat} is outside WGS84 lon/lat range (lon ±180, lat ±90); coordinates must be WGS84 degrees.");
        if (!(minLon < maxLon && minLat < maxLat))
            throw new ArgumentException($"bbox 为空，应为 最小经度,最小纬度,最大经度,最大纬度 (bbox {minLon},{minLat},{maxLon},{maxLat} is empty: expected minLon,minLat,maxLon,maxLat with min < max.");
        (MinLon, MinLat, MaxLon, MaxLat) = (minLon, minLat, maxLon, maxLat);
    }

    public double MinLon { get; }
    public double MinLat { get; }
    public double MaxLon { get; }
    public double MaxLat { get; }

    public static readonly BoundingBox World = new(-180, -90, 180, 90);

    /// <summary>Parses "minLon,minLat,maxLon,maxLat" (invariant culture).</summary>
    public static BoundingBox Parse(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 4 || !parts.All(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"bbox 应为四个数字 最小经度,最小纬度,最大经度,最大纬度 (bbox '{text}' is not four numbers minLon,minLat,maxLon,maxLat).");
        var v = parts.Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new BoundingBox(v[0], v[1], v[2], v[3]);
    }
}

/// <summary>A GeoJSON FeatureCollection's features array as JSON text, and whether the limit cut it short.</summary>
public sealed record FeaturePage(string FeaturesJson, int Count, bool Truncated);

/// <summary>A box in one of <see cref="LayerStore.OgcSrids"/>, x east (longitude or easting), y north (latitude or northing),
/// valid from birth: finite, min &lt; max, a known SRID (and inside lon ±180 / lat ±90 for 4326).</summary>
public readonly record struct CrsBox
{
    public CrsBox(double minX, double minY, double maxX, double maxY, int srid)
    {
        if (!LayerStore.OgcSrids.Contains(srid)) throw new ArgumentException($"坐标系 EPSG:{srid} 不支持 (bbox SRID {srid} is not one of {string.Join(", ", LayerStore.OgcSrids)}).");
        if (!(double.IsFinite(minX) && double.IsFinite(minY) && double.IsFinite(maxX) && double.IsFinite(maxY) && minX < maxX && minY < maxY))
            throw new ArgumentException($"bbox 为空或无效 (bbox {minX},{minY},{maxX},{maxY} is empty or not finite: min must be below max on both axes).");
        if (srid == 4326) _ = new BoundingBox(minX, minY, maxX, maxY);
        (MinX, MinY, MaxX, MaxY, Srid) = (minX, minY, maxX, maxY, srid);
    }

    public double MinX { get; }
    public double MinY { get; }
    public double MaxX { get; }
    public double MaxY { get; }
    public int Srid { get; }
}

/// <summary>One page of OGC API – Features items: how many features the query selects, how many this page holds, and the
/// page's features as a GeoJSON features array (JSON text built in PostGIS).</summary>
public sealed record OgcItemsPage(int NumberMatched, int NumberReturned, string FeaturesJson);

/// <summary>The pool vector tiles are built on (<see cref="GridMapDatabase.CreateForTiles"/>): read-only tile queries only.</summary>
public sealed class TileDataSource(NpgsqlDataSource source) : IAsyncDisposable, IDisposable
{
    public NpgsqlDataSource Source => source;

    public ValueTask DisposeAsync() => source.DisposeAsync();

    public void Dispose() => source.Dispose();
}

/// <summary>Reads map layers (catalog views) as GeoJSON pages and Mapbox vector tiles, built in PostGIS. Tiles run on
/// <paramref name="tiles"/> when the host gives one (its pool skips Npgsql's per-use session reset), else on <paramref name="db"/>.</summary>
public sealed class LayerStore(NpgsqlDataSource db, LayerCatalog catalog, TileDataSource? tiles = null)
{
    /// <summary>Largest page a caller may ask for.</summary>
    public const int MaxLimit = 50_000;

    private static readonly string FeaturesSql = SqlScripts.Get("Queries/layer_features.sql");
    private static readonly string OgcItemsSql = SqlScripts.Get("Layers/Ogc/ogc_items.sql");
    private static readonly string OgcItemSql = SqlScripts.Get("Layers/Ogc/ogc_item.sql");
    private static readonly string OgcExtentSql = SqlScripts.Get("Layers/Ogc/ogc_extent.sql");

    public LayerCatalog Catalog => catalog;

    /// <summary>Features of <paramref name="layerId"/> intersecting <paramref name="bbox"/>, ordered by id, at most <paramref name="limit"/> (1–50,000).</summary>
    public async Task<FeaturePage> FeaturesAsync(string layerId, BoundingBox bbox, int limit, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxLimit) throw new ArgumentException($"limit {limit} 超出范围 1–{MaxLimit} (limit must be between 1 and {MaxLimit}).");
        var layer = catalog.Get(layerId);
        await using var cmd = db.CreateCommand(ForView(FeaturesSql, layer));
        cmd.Parameters.AddWithValue("minx", bbox.MinLon);
        cmd.Parameters.AddWithValue("miny", bbox.MinLat);
        cmd.Parameters.AddWithValue("maxx", bbox.MaxLon);
        cmd.Parameters.AddWithValue("maxy", bbox.MaxLat);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var n = r.GetInt32(0);
        return new FeaturePage(r.GetString(1), Math.Min(n, limit), n > limit);
    }

    /// <summary>
    /// One page of OGC API – Features items: the features of <paramref name="layerId"/> intersecting <paramref name="box"/>
    /// (every feature when null), ordered by id, skipping <paramref name="offset"/> (≥ 0), at most <paramref name="limit"/>
    /// (1–<see cref="MaxLimit"/>), geometries in <paramref name="srid"/> (<see cref="OgcSrids"/>; 4547 written
    /// [northing, easting]); <see cref="OgcItemsPage.NumberMatched"/> counts every feature the box selects.
    /// </summary>
    public async Task<OgcItemsPage> ItemsAsync(string layerId, CrsBox? box, int srid, int limit, int offset, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxLimit) throw new ArgumentException($"limit {limit} 超出范围 1–{MaxLimit} (limit must be between 1 and {MaxLimit}).");
        if (offset < 0) throw new ArgumentException($"offset {offset} 不能为负 (offset must not be negative).");
        CheckSrid(srid);
        var layer = catalog.Get(layerId);
        await using var cmd = db.CreateCommand(ForView(OgcItemsSql, layer));
        cmd.Parameters.Add(new NpgsqlParameter<double?>("minx", box?.MinX) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter<double?>("miny", box?.MinY) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter<double?>("maxx", box?.MaxX) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter<double?>("maxy", box?.MaxY) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        cmd.Parameters.AddWithValue("bbox_srid", box?.Srid ?? 4326);
        cmd.Parameters.AddWithValue("srid", srid);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("offset", offset);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new OgcItemsPage(r.GetInt32(0), r.GetInt32(1), r.GetString(2));
    }

    /// <summary>One feature of <paramref name="layerId"/> as GeoJSON Feature text in <paramref name="srid"/>, or null when no feature has that id.</summary>
    public async Task<string?> ItemAsync(string layerId, string featureId, int srid, CancellationToken ct = default)
    {
        CheckSrid(srid);
        var layer = catalog.Get(layerId);
        await using var cmd = db.CreateCommand(ForView(OgcItemSql, layer));
        cmd.Parameters.AddWithValue("id", featureId);
        cmd.Parameters.AddWithValue("srid", srid);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>The coordinate systems OGC items can be written in: 4326 (as CRS84 lon/lat) and 4547 (CGCS2000 / 3-degree Gauss-Krüger CM 114E).</summary>
    public static IReadOnlyList<int> OgcSrids { get; } = [4326, 4547];

    private static void CheckSrid(int srid)
    {
        if (!OgcSrids.Contains(srid)) throw new ArgumentException($"坐标系 EPSG:{srid} 不支持 (SRID {srid} is not one of {string.Join(", ", OgcSrids)}).");
    }

    /// <summary>The WGS84 extent [minLon, minLat, maxLon, maxLat] of <paramref name="layerId"/>'s features, or null when it has none.</summary>
    public async Task<double[]?> ExtentAsync(string layerId, CancellationToken ct = default)
    {
        var layer = catalog.Get(layerId);
        await using var cmd = db.CreateCommand(ForView(OgcExtentSql, layer));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || r.IsDBNull(0)) return null;
        return [r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)];
    }

    // The one place a view name enters SQL: the catalog entry's own view, found by id (an unknown id threw before).
    private static string ForView(string template, LayerInfo layer) => template.Replace("{view}", layer.View, StringComparison.Ordinal);

    /// <summary>The MVT bytes of one tile (empty array when nothing is in it), built by the layer's tile SQL for that zoom.</summary>
    public async Task<byte[]> TileAsync(string layerId, TileAddress tile, CancellationToken ct = default)
    {
        var layer = catalog.Get(layerId);
        if (layer.TileQueryAt(tile.Z) is not { } query) return [];
        // Positional parameters ($1–$4, see TileQuery.PositionalText), typed: no SQL parsing and no boxing per tile.
        await using var cmd = (tiles?.Source ?? db).CreateCommand(query.PositionalText);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tile.Z });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tile.X });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tile.Y });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = layer.Id });
        var result = await cmd.ExecuteScalarAsync(ct);
        return result as byte[] ?? [];
    }

    /// <summary>The MVT bytes of one tile; z 0–22, x/y inside the zoom level.</summary>
    public Task<byte[]> TileAsync(string layerId, int z, int x, int y, CancellationToken ct = default) =>
        TileAsync(layerId, new TileAddress(z, x, y), ct);
}

/// <summary>A web map tile address (XYZ scheme, y down from the north), valid from birth: z 0–22, x and y inside the zoom level.</summary>
public readonly record struct TileAddress
{
    public TileAddress(int z, int x, int y)
    {
        if (z is < 0 or > 22) throw new ArgumentException($"缩放级别 {z} 超出范围 0–22 (zoom must be between 0 and 22).");
        var n = 1 << z;
        if (x < 0 || x >= n || y < 0 || y >= n)
            throw new ArgumentException($"瓦片 {z}/{x}/{y} 不存在 (tile {z}/{x}/{y} does not exist: x and y must be between 0 and {n - 1} at zoom {z}).");
        (Z, X, Y) = (z, x, y);
    }

    public int Z { get; }
    public int X { get; }
    public int Y { get; }

    /// <summary>The tile's WGS84 bounds widened by <paramref name="margin"/> of its width on every side (tile SQL draws 64/4096).</summary>
    public (double MinLon, double MinLat, double MaxLon, double MaxLat) Bounds(double margin = 0)
    {
        double n = 1 << Z;
        static double Lat(double yy, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * yy / n))) * 180 / Math.PI;
        double x0 = X - margin, x1 = X + 1 + margin, y0 = Y - margin, y1 = Y + 1 + margin;
        return (x0 / n * 360 - 180, Lat(Math.Min(y1, n), n), x1 / n * 360 - 180, Lat(Math.Max(y0, 0), n));
    }

    /// <summary>The tiles of zoom <paramref name="z"/> covering a WGS84 box (clamped to the Web Mercator world).</summary>
    public static IEnumerable<TileAddress> Covering(BoundingBox box, int z)
    {
        var n = 1 << z;
        static double Y(double lat, int n)
        {
            lat = Math.Clamp(lat, -85.0511, 85.0511) * Math.PI / 180;
            return (1 - Math.Asinh(Math.Tan(lat)) / Math.PI) / 2 * n;
        }
        int x0 = Math.Clamp((int)Math.Floor((box.MinLon + 180) / 360 * n), 0, n - 1), x1 = Math.Clamp((int)Math.Floor((box.MaxLon + 180) / 360 * n), 0, n - 1);
        int y0 = Math.Clamp((int)Math.Floor(Y(box.MaxLat, n)), 0, n - 1), y1 = Math.Clamp((int)Math.Floor(Y(box.MinLat, n)), 0, n - 1);
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
                yield return new TileAddress(z, x, y);
    }

    public override string ToString() => $"{Z}/{X}/{Y}";
}
