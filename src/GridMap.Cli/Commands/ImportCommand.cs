using System.CommandLine;
using System.Text.Json;
using GridMap.Domain.Geo;
using GridMap.Domain.Import;
using GridMap.Application.Import;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap import FILE --into compounds|pipes|valves [--source NAME] [--dry-run] [--report FILE.json]` —
/// validated, all-or-nothing import that adds new features and updates changed ones (upsert by id or external key).</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "GeoJSON (.geojson/.json), Shapefile (.shp + .prj + .dbf [+ .cpg]) 或 GeoPackage (.gpkg)" };
        var into = new Option<ImportTarget>("--into") { Description = "导入到 compounds 小区 | pipes 管道 | valves 阀门", Required = true };
        var crs = new Option<string?>("--crs") { Description = $"源坐标系，覆盖文件自带的 (source CRS, overrides the file's): {string.Join(", ", Crs.Supported.Where(c => c != "local"))}" };
        var source = new Option<string?>("--source")
        {
            Description = "数据源名称：非整数 id（如 \"XQ-0012\"）是该数据源的外部编号，重新导入按编号更新 " +
                          "(source/dataset name that non-integer ids are keys of; default: the file name without extension)",
        };
        var repair = new Option<bool>("--repair") { Description = "修复无效几何而不是拒绝 (repair invalid geometries instead of rejecting the file)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "只检查并列出将新增、修改、不变和拒绝的要素，不写入 (check and summarise what would be added, changed, left alone and refused; write nothing)" };
        var report = new Option<FileInfo?>("--report") { Description = "把摘要写成 JSON 文件 (write the summary as JSON to FILE.json)" };
        var db = CliSupport.DbOption();
        var cmd = new Command("import",
            "导入小区、管道或阀门：新增新要素，按 id 或外部编号更新已有要素（只改变化的属性），不变的保留；任何要素无效则全部不写入；Z 坐标被丢弃 " +
            "(import features: add new ones, update existing ones by id or external key (changed attributes only), leave the rest; " +
            "nothing is written unless every feature is valid; Z values are dropped)")
        { file, into, crs, source, repair, dryRun, report, db };
        cmd.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            var path = p.GetValue(file)!.FullName;
            var overrideCrs = p.GetValue(crs) is { } c ? Crs.Parse(c) : null;
            var sourceName = FeatureImports.SourceName(path, p.GetValue(source));
            var reportFile = p.GetValue(report);
            if (reportFile is { Directory: { Exists: false } dir })
                throw new ArgumentException($"--report: folder {dir.FullName} does not exist.");
            await using var services = CliSupport.UseCases(p, db);
            var imports = services.GetRequiredService<FeatureImports>();
            var target = p.GetValue(into);
            var dry = p.GetValue(dryRun);
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
                outcome = await imports.ImportAsync(path, target, overrideCrs, p.GetValue(repair), dry, stage, ct, sourceName);
                task.Value = 3;
                task.Description = $"{outcome.Features} 个要素 ({outcome.Crs}{(outcome.CrsFromFile ? ", 来自文件" : "")})";
            });
            var o = outcome!;
            if (reportFile is not null) await WriteReportAsync(reportFile.FullName, path, dry, o, ct);
            var what = target.ToString().ToLowerInvariant();
            var summary = $"{o.Added} added, {o.Changed} changed, {o.Unchanged} unchanged, {o.Problems.Count} refused";
            if (!o.Ok)
            {
                Console.Error.WriteLine($"gridmap import: {o.Problems.Count} invalid feature(s); nothing was written:");
                foreach (var pr in o.Problems.Take(200)) Console.Error.WriteLine("  " + pr);
                if (o.Problems.Count > 200) Console.Error.WriteLine($"  … and {o.Problems.Count - 200} more");
                Console.WriteLine($"refused: nothing written; the valid features would be {summary} (source '{o.Source}')");
                PrintNotes(o);
                return 1;
            }
            Console.WriteLine(!o.Written
                ? $"dry run: {o.Valid} {what} are valid: {summary} (source '{o.Source}'){(o.Repaired > 0 ? $"; {o.Repaired} would be repaired" : "")}; nothing written"
                : $"imported {o.Valid} {what}: {summary} (source '{o.Source}'){(o.Repaired > 0 ? $"; {o.Repaired} geometries repaired" : "")}");
            foreach (var i in o.Items.Where(i => i.Action == "change").Take(200))
                Console.WriteLine($"  ~ feature #{i.Index}{(i.Key is null ? "" : $" (key {i.Key})")} → {what[..^1]} {i.Id}: {string.Join(", ", i.Attributes)}");
            if (o.Changed > 200) Console.WriteLine($"  … and {o.Changed - 200} more changed (see --report)");
            PrintNotes(o);
            return 0;
        }));
        return cmd;
    }

    private static void PrintNotes(ImportOutcome o)
    {
        if (o.ZDropped > 0) Console.WriteLine($"{o.ZDropped} features had Z; dropped (GridMap stores 2-D geometries)");
    }

    /// <summary>The summary as JSON: the same facts as the console, one entry per feature.</summary>
    private static async Task WriteReportAsync(string reportPath, string path, bool dryRun, ImportOutcome o, CancellationToken ct)
    {
        var doc = new Dictionary<string, object?>
        {
            ["file"] = path,
            ["target"] = o.Target.ToString().ToLowerInvariant(),
            ["source"] = o.Source,
            ["crs"] = o.Crs,
            ["crs_from_file"] = o.CrsFromFile,
            ["dry_run"] = dryRun,
            ["written"] = o.Written,
            ["features"] = o.Features,
            ["added"] = o.Added,
            ["changed"] = o.Changed,
            ["unchanged"] = o.Unchanged,
            ["refused"] = o.Problems.Count,
            ["repaired"] = o.Repaired,
            ["z_dropped"] = o.ZDropped,
            ["items"] = o.Items,
            ["problems"] = o.Problems.Select(p => new Dictionary<string, object?>
            {
                ["index"] = p.Index, ["id"] = p.Id, ["reason"] = p.Reason, ["lon"] = p.Lon, ["lat"] = p.Lat,
                ["message"] = p.ToString(),
            }),
        };
        await using var s = File.Create(reportPath);
        await JsonSerializer.SerializeAsync(s, doc, new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }, ct);
    }
}
