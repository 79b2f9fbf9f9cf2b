using System.Globalization;
using System.Text.Json;
using GridMap.Storage.Layers;
using Microsoft.Data.Sqlite;

namespace GridMap.Application.Layers;

/// <summary>How far an export has come: tiles looked at of the total.</summary>
public readonly record struct TileExportProgress(long Done, long Total);

/// <summary>What an export wrote: tiles stored (empty ones are left out), tiles looked at, bytes of gzip'd tile data.</summary>
public sealed record TileExportResult(long Tiles, long Looked, long Bytes);

/// <summary>
/// Writes every catalog layer's vector tiles inside a bbox and zoom range into one MBTiles 1.3 file
/// (https://github.com/mapbox/mbtiles-spec/blob/master/1.3/spec.md): format pbf, tiles gzip'd, one MVT per tile holding
/// every layer (MVT layers are concatenated protobuf messages), metadata with the vector_layers JSON, TMS row order.
/// Readable by GDAL's MBTiles driver and QGIS.
/// </summary>
public sealed class TileExport(LayerStore store, LayerCatalog catalog)
{
    /// <summary>Most tiles one export may look at.</summary>
    public const long MaxTiles = 2_000_000;

    /// <summary>The number of tiles of zooms <paramref name="minZoom"/>–<paramref name="maxZoom"/> covering <paramref name="bbox"/>.</summary>
    public static long Count(BoundingBox bbox, int minZoom, int maxZoom)
    {
        long n = 0;
        for (var z = minZoom; z <= maxZoom; z++)
        {
            var first = TileAddress.Covering(bbox, z).First();
            var last = TileAddress.Covering(bbox, z).Last();
            n += (long)(last.X - first.X + 1) * (last.Y - first.Y + 1);
        }
        return n;
    }

    public async Task<TileExportResult> ExportAsync(BoundingBox bbox, int minZoom, int maxZoom, string outFile,
        IProgress<TileExportProgress>? progress = null, CancellationToken ct = default)
    {
        if (minZoom is < 0 or > 22 || maxZoom is < 0 or > 22)
            throw new ArgumentException($"缩放级别须在 0–22 之间 (zoom levels must be between 0 and 22; got {minZoom}–{maxZoom}).");
        if (minZoom > maxZoom)
            throw new ArgumentException($"最小缩放级别大于最大缩放级别 (--minzoom {minZoom} is greater than --maxzoom {maxZoom}).");
        var total = Count(bbox, minZoom, maxZoom);
        if (total > MaxTiles)
            throw new ArgumentException($"范围内瓦片过多：{total:N0}，上限 {MaxTiles:N0}；请缩小范围或降低 --maxzoom (too many tiles: {total:N0} > {MaxTiles:N0}; use a smaller bbox or a lower --maxzoom).");
        var full = Path.GetFullPath(outFile);
        if (Path.GetDirectoryName(full) is { } dir && !Directory.Exists(dir))
            throw new ArgumentException($"输出目录不存在 (the folder of --out does not exist: {dir}).");
        var tmp = full + ".partial";
        File.Delete(tmp);

        long stored = 0, looked = 0, bytes = 0;
        var pooling = new SqliteConnectionStringBuilder { DataSource = tmp, Pooling = false }.ToString();
        await using (var db = new SqliteConnection(pooling))
        {
            await db.OpenAsync(ct);
            await Exec(db, """
                CREATE TABLE metadata (name text, value text);
                CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
                CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                """);
            await using var tx = db.BeginTransaction();
            await using var insert = db.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO tiles VALUES ($z, $x, $y, $data)";
            var pz = insert.Parameters.Add("$z", SqliteType.Integer);
            var px = insert.Parameters.Add("$x", SqliteType.Integer);
            var py = insert.Parameters.Add("$y", SqliteType.Integer);
            var pd = insert.Parameters.Add("$data", SqliteType.Blob);
            for (var z = minZoom; z <= maxZoom; z++)
            {
                var layers = catalog.Layers.Where(l => l.TileQueryAt(z) is not null).ToList();
                foreach (var tile in TileAddress.Covering(bbox, z))
                {
                    ct.ThrowIfCancellationRequested();
                    using var mvt = new MemoryStream();
                    foreach (var layer in layers) mvt.Write(await store.TileAsync(layer.Id, tile, ct));
                    looked++;
                    if (mvt.Length > 0)
                    {
                        var body = TileBody.From(mvt.ToArray());
                        pz.Value = z;
                        px.Value = tile.X;
                        py.Value = (1 << z) - 1 - tile.Y; // MBTiles rows count from the south (TMS)
                        pd.Value = body.Gzip;
                        await insert.ExecuteNonQueryAsync(ct);
                        stored++;
                        bytes += body.Gzip.Length;
                    }
                    if (looked % 16 == 0 || looked == total) progress?.Report(new TileExportProgress(looked, total));
                }
            }
            await using (var meta = db.CreateCommand())
            {
                meta.Transaction = tx;
                meta.CommandText = "INSERT INTO metadata VALUES ($n, $v)";
                var pn = meta.Parameters.Add("$n", SqliteType.Text);
                var pv = meta.Parameters.Add("$v", SqliteType.Text);
                foreach (var (n, v) in Metadata(bbox, minZoom, maxZoom))
                {
                    pn.Value = n;
                    pv.Value = v;
                    await meta.ExecuteNonQueryAsync(ct);
                }
            }
            await tx.CommitAsync(ct);
        }
        File.Move(tmp, full, overwrite: true);
        progress?.Report(new TileExportProgress(total, total));
        return new TileExportResult(stored, looked, bytes);
    }

    private IEnumerable<(string, string)> Metadata(BoundingBox b, int minZoom, int maxZoom)
    {
        string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
        yield return ("name", "GridMap 郑州供热串改并");
        yield return ("format", "pbf");
        yield return ("type", "overlay");
        yield return ("version", "1");
        yield return ("description", "GridMap vector tiles: compounds, heat network, districts, grid cells and campaign progress");
        yield return ("attribution", "GridMap");
        yield return ("minzoom", minZoom.ToString(CultureInfo.InvariantCulture));
        yield return ("maxzoom", maxZoom.ToString(CultureInfo.InvariantCulture));
        yield return ("bounds", $"{F(b.MinLon)},{F(b.MinLat)},{F(b.MaxLon)},{F(b.MaxLat)}");
        yield return ("center", $"{F((b.MinLon + b.MaxLon) / 2)},{F((b.MinLat + b.MaxLat) / 2)},{minZoom}");
        var layers = catalog.Layers
            .Where(l => l.MinZoom <= maxZoom && l.MaxZoom >= minZoom)
            .Select(l => new Dictionary<string, object>
            {
                ["id"] = l.Id, ["description"] = l.Title, ["minzoom"] = Math.Max(l.MinZoom, minZoom), ["maxzoom"] = Math.Min(l.MaxZoom, maxZoom),
                ["fields"] = l.Fields,
            });
        yield return ("json", JsonSerializer.Serialize(new { vector_layers = layers },
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private static async Task Exec(SqliteConnection db, string sql)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
