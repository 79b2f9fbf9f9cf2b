using System.CommandLine;
using GridMap.Domain.Geo;
using GridMap.Domain.Import;
using GridMap.Application.Import;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap import FILE --into compounds|pipes|valves` — validated, all-or-nothing import.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "GeoJSON (.geojson/.json), Shapefile (.shp + .prj + .dbf) 或 GeoPackage (.gpkg)" };
        var into = new Option<ImportTarget>("--into") { Description = "导入到 compounds 小区 | pipes 管道 | valves 阀门", Required = true };
        var crs = new Option<string?>("--crs") { Description = $"源坐标系，覆盖文件自带的 (source CRS, overrides the file's): {string.Join(", ", Crs.Supported.Where(c => c != "local"))}" };
        var repair = new Option<bool>("--repair") { Description = "修复无效几何而不是拒绝 (repair invalid geometries instead of rejecting the file)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "只检查，不写入 (check only, write nothing)" };
        var db = CliSupport.DbOption();
        var cmd = new Command("import", "导入小区、管道或阀门；任何要素无效则不写入 (import features; nothing is written unless every feature is valid)")
        { file, into, crs, repair, dryRun, db };
        cmd.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            var path = p.GetValue(file)!.FullName;
            var overrideCrs = p.GetValue(crs) is { } c ? Crs.Parse(c) : null;
            await using var services = CliSupport.UseCases(p, db);
            var imports = services.GetRequiredService<FeatureImports>();
            var target = p.GetValue(into);
            ImportOutcome? outcome = null;
            await CliSupport.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("读取 reading", maxValue: 3);
                task.IsIndeterminate = true;
                var stage = new Progress<string>(s =>
                {
                    task.IsIndeterminate = false;
                    (task.Description, task.Value) = s switch { "validating" => ("检查 validating", 1d), "writing" => ("写入 writing", 2d), _ => ("读取 reading", 0d) };
                });
                outcome = await imports.ImportAsync(path, target, overrideCrs, p.GetValue(repair), p.GetValue(dryRun), stage, ct);
                task.Value = 3;
                task.Description = $"{outcome.Features} 个要素 ({outcome.Crs}{(outcome.CrsFromFile ? ", 来自文件" : "")})";
            });
            var o = outcome!;
            if (!o.Ok)
            {
                Console.Error.WriteLine($"gridmap import: {o.Problems.Count} invalid feature(s); nothing was written:");
                foreach (var pr in o.Problems.Take(200)) Console.Error.WriteLine("  " + pr);
                if (o.Problems.Count > 200) Console.Error.WriteLine($"  … and {o.Problems.Count - 200} more");
                return 1;
            }
            var what = target.ToString().ToLowerInvariant();
            Console.WriteLine(!o.Written
                ? $"dry run: {o.Valid} {what} are valid{(o.Repaired > 0 ? $" ({o.Repaired} repaired)" : "")}; nothing written"
                : $"imported {o.Valid} {what}{(o.Repaired > 0 ? $" ({o.Repaired} geometries repaired)" : "")}");
            return 0;
        }));
        return cmd;
    }
}
