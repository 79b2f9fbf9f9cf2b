using System.CommandLine;
using GridMap.Domain.Geo;
using GridMap.Domain.Import;
using GridMap.Domain.IO;
using GridMap.Storage;

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
            await using var ds = CliSupport.OpenDatabase(p, db);
            var store = new ImportStore(ds);
            var options = new ImportOptions(p.GetValue(repair));
            var target = p.GetValue(into);
            IReadOnlyList<ImportProblem> problems = [];
            int count = 0, repaired = 0;
            Func<Task<ulong>>? write = null;
            await CliSupport.Progress().StartAsync(async ctx =>
            {
                var read = ctx.AddTask("读取 reading", maxValue: 1);
                read.IsIndeterminate = true;
                var set = await Task.Run(() => FeatureFile.Read(path, overrideCrs), ct);
                read.IsIndeterminate = false; read.Value = 1;
                read.Description = $"读取 {set.Features.Count} 个要素 ({set.Crs}{(set.CrsFromFile ? ", 来自文件" : "")})";
                var check = ctx.AddTask("检查 validating", maxValue: 1);
                switch (target)
                {
                    case ImportTarget.Compounds:
                        var locate = await store.DistrictLocatorAsync(ct);
                        var cp = FeatureImporter.Compounds(set, options, locate, (int)await store.NextIdAsync("compound", ct));
                        (problems, count, repaired) = (cp.Problems, cp.Items.Count, cp.Repaired);
                        write = () => store.WriteAsync(cp.Items, ct);
                        break;
                    case ImportTarget.Pipes:
                        var pp = FeatureImporter.Pipes(set, options, await store.NextIdAsync("pipe", ct));
                        (problems, count, repaired) = (pp.Problems, pp.Items.Count, pp.Repaired);
                        write = () => store.WriteAsync(pp.Items, ct);
                        break;
                    default:
                        var vp = FeatureImporter.Valves(set, options, await store.NextIdAsync("valve", ct));
                        (problems, count, repaired) = (vp.Problems, vp.Items.Count, vp.Repaired);
                        write = () => store.WriteAsync(vp.Items, ct);
                        break;
                }
                check.Value = 1;
                if (problems.Count > 0 || p.GetValue(dryRun)) return;
                var save = ctx.AddTask("写入 writing", maxValue: 1);
                await write();
                save.Value = 1;
            });
            if (problems.Count > 0)
            {
                Console.Error.WriteLine($"gridmap import: {problems.Count} invalid feature(s); nothing was written:");
                foreach (var pr in problems.Take(200)) Console.Error.WriteLine("  " + pr);
                if (problems.Count > 200) Console.Error.WriteLine($"  … and {problems.Count - 200} more");
                return 1;
            }
            var what = target.ToString().ToLowerInvariant();
            Console.WriteLine(p.GetValue(dryRun)
                ? $"dry run: {count} {what} are valid{(repaired > 0 ? $" ({repaired} repaired)" : "")}; nothing written"
                : $"imported {count} {what}{(repaired > 0 ? $" ({repaired} geometries repaired)" : "")}");
            return 0;
        }));
        return cmd;
    }
}
