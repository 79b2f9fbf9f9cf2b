using System.CommandLine;
using GridMap.Application.Reports;
using GridMap.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap render coverage|noticeboard|progress` — printed maps and reports to files (the same use cases as /api/reports).</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var cmd = new Command("render", "打印地图与报表 (printed maps and reports: coverage map PDF/PNG, cell notice board PDF, weekly progress XLSX)");
        cmd.Subcommands.Add(Coverage());
        cmd.Subcommands.Add(NoticeBoard());
        cmd.Subcommands.Add(Progress());
        return cmd;
    }

    private static Option<string> Out(string what) => new("--out") { Description = what, Required = true };

    private static Option<string?> BaseUrl() => new("--base-url")
    {
        Description = "二维码中的 GridMap 网址 (web client address the QR code opens; default $GRIDMAP_PUBLIC_URL or http://127.0.0.1:5080)",
    };

    private static Command Coverage()
    {
        var area = new Option<string>("--area")
        {
            Description = $"范围 (area: {ReportAreaParser.Syntax}), e.g. district:410105", Required = true,
        };
        var output = Out("输出文件 .pdf 或 .png (output FILE.pdf or FILE.png; replaced if it exists)");
        var size = new Option<string>("--size") { Description = "纸张 A4 或 A3 (paper size; default A4)", DefaultValueFactory = _ => "A4" };
        var landscape = new Option<bool>("--landscape") { Description = "横向 (landscape; default portrait)" };
        var db = CliSupport.DbOption();
        var c = new Command("coverage", "改造覆盖图 (coverage map of an area: compounds by retrofit stage, outlines, roads, legend, scale bar, north arrow)")
        {
            area, output, size, landscape, db,
        };
        c.SetAction((p, ct) => CliSupport.Run(() => Guard(async () =>
        {
            var file = p.GetValue(output)!;
            var format = FormatOf(file);
            var paper = p.GetValue(size)!.Trim().ToUpperInvariant() switch
            {
                "A4" => PaperSize.A4, "A3" => PaperSize.A3,
                var s => throw new ArgumentException($"--size 应为 A4 或 A3 (--size must be A4 or A3, got '{s}')."),
            };
            await using var services = CliSupport.UseCases(p, db);
            RenderedFile? result = null;
            await CliSupport.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("生成覆盖图 rendering", maxValue: 5);
                result = await services.GetRequiredService<ReportQueries>().CoverageMapAsync(p.GetValue(area), format, paper, p.GetValue(landscape),
                    new Progress<string>(step => { task.Description = $"生成覆盖图：{step}"; task.Increment(1); }), ct);
                task.Value = task.MaxValue;
            });
            await File.WriteAllBytesAsync(file, result!.Content, ct);
            Console.WriteLine($"wrote {file} ({result.Content.Length / 1024.0:N0} KB)");
            return 0;
        })));
        return c;
    }

    private static Command NoticeBoard()
    {
        var cell = new Option<string>("--cell") { Description = "网格编码 15 位 (cell code, 15 digits)", Required = true };
        var output = Out("输出文件 .pdf（或 .png 预览）(output FILE.pdf, or FILE.png for a preview)");
        var baseUrl = BaseUrl();
        var db = CliSupport.DbOption();
        var c = new Command("noticeboard", "网格公示牌 (cell notice board: map, grid worker and phone, branch, retrofit schedule, QR code to the cell)")
        {
            cell, output, baseUrl, db,
        };
        c.SetAction((p, ct) => CliSupport.Run(() => Guard(async () =>
        {
            var file = p.GetValue(output)!;
            var format = FormatOf(file);
            await using var services = CliSupport.UseCases(p, db);
            if ((p.GetValue(baseUrl) ?? Environment.GetEnvironmentVariable("GRIDMAP_PUBLIC_URL")) is { Length: > 0 } url)
                services.GetRequiredService<ReportOptions>().PublicBaseUrl = url;
            var result = await services.GetRequiredService<ReportQueries>().NoticeBoardAsync(p.GetValue(cell), format, ct);
            await File.WriteAllBytesAsync(file, result.Content, ct);
            Console.WriteLine($"wrote {file} ({result.Content.Length / 1024.0:N0} KB)");
            return 0;
        })));
        return c;
    }

    private static Command Progress()
    {
        var by = new Option<string>("--by") { Description = "按 district、street 或 cell 汇总 (rows per district, street or cell; default district)", DefaultValueFactory = _ => "district" };
        var output = Out("输出文件 .xlsx (output FILE.xlsx)");
        var db = CliSupport.DbOption();
        var c = new Command("progress", "进度周报 XLSX (weekly figures: compounds, households by stage, completion %, consent rate, disputes, overdue follow-ups)")
        {
            by, output, db,
        };
        c.SetAction((p, ct) => CliSupport.Run(() => Guard(async () =>
        {
            var file = p.GetValue(output)!;
            if (!file.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--out 须为 .xlsx 文件 (--out must name a .xlsx file, got '{file}').");
            await using var services = CliSupport.UseCases(p, db);
            var result = await services.GetRequiredService<ReportQueries>().ProgressWorkbookAsync(p.GetValue(by), ct);
            await File.WriteAllBytesAsync(file, result.Content, ct);
            Console.WriteLine($"wrote {file} ({result.Content.Length / 1024.0:N0} KB)");
            return 0;
        })));
        return c;
    }

    private static OutputFormat FormatOf(string file) =>
        file.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Pdf
        : file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Png
        : throw new ArgumentException($"--out 须为 .pdf 或 .png 文件 (--out must name a .pdf or .png file, got '{file}').");

    /// <summary>An unknown area or cell is an expected failure: a clear message and exit code 1, not a stack trace.</summary>
    private static async Task<int> Guard(Func<Task<int>> body)
    {
        try { return await body(); }
        catch (KeyNotFoundException e) { Console.Error.WriteLine($"gridmap: error: {e.Message}"); return 1; }
    }
}
