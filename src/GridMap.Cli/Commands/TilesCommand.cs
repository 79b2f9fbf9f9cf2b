using System.CommandLine;
using System.Diagnostics;
using GridMap.Application.Layers;
using GridMap.Storage.Layers;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap tiles export` — vector tiles of an area into an MBTiles file (QGIS, GDAL, offline use).</summary>
internal static class TilesCommand
{
    public static Command Create()
    {
        var bbox = new Option<string>("--bbox")
        {
            Description = "范围 最小经度,最小纬度,最大经度,最大纬度 (WGS84 area minLon,minLat,maxLon,maxLat)", Required = true,
        };
        var minZoom = new Option<int>("--minzoom") { Description = "最小缩放级别 0–22 (lowest zoom)", Required = true };
        var maxZoom = new Option<int>("--maxzoom") { Description = "最大缩放级别 0–22 (highest zoom)", Required = true };
        var output = new Option<string>("--out") { Description = "输出 MBTiles 文件 (output FILE.mbtiles; replaced if it exists)", Required = true };
        var db = CliSupport.DbOption();
        var export = new Command("export", "导出矢量瓦片为 MBTiles 1.3 (export every layer's vector tiles of an area to an MBTiles 1.3 file: gzip'd pbf, vector_layers metadata)")
        {
            bbox, minZoom, maxZoom, output, db,
        };
        export.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            var box = BoundingBox.Parse(p.GetValue(bbox)!);
            var file = p.GetValue(output)!;
            if (!file.EndsWith(".mbtiles", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--out 须为 .mbtiles 文件 (--out must name a .mbtiles file, got '{file}').");
            await using var services = CliSupport.UseCases(p, db);
            var sw = Stopwatch.StartNew();
            TileExportResult? result = null;
            await CliSupport.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("导出瓦片 exporting tiles", maxValue: 1);
                result = await services.GetRequiredService<TileExport>().ExportAsync(box, p.GetValue(minZoom), p.GetValue(maxZoom), file,
                    new Progress<TileExportProgress>(x => { task.MaxValue = Math.Max(1, x.Total); task.Value = x.Done; }), ct);
                task.Value = task.MaxValue;
            });
            Console.WriteLine($"wrote {file}: {result!.Tiles:N0} tiles ({result.Looked:N0} looked at, {result.Bytes / 1024.0:N0} KB gzip'd) in {sw.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        var cmd = new Command("tiles", "矢量瓦片 (vector tiles)");
        cmd.Subcommands.Add(export);
        return cmd;
    }
}
