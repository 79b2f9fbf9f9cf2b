using System.CommandLine;
using System.Diagnostics;
using GridMap.Domain.Demo;
using GridMap.Storage;
using Spectre.Console;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap demo load` — generates the demo Zhengzhou and stores it.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "随机种子：相同种子生成相同的城市 (same seed → same city)", DefaultValueFactory = _ => 42 };
        var ifEmpty = new Option<bool>("--if-empty") { Description = "数据库已有数据时跳过 (skip quietly when the database already holds data)" };
        var replace = new Option<bool>("--replace") { Description = "替换现有数据 (replace existing campaign data in one transaction)" };
        var db = CliSupport.DbOption();
        var load = new Command("load", "生成并加载郑州演示城市 (generate the demo Zhengzhou and load it into PostGIS)") { seed, ifEmpty, replace, db };
        load.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            if (p.GetValue(ifEmpty) && p.GetValue(replace))
                throw new ArgumentException("--if-empty and --replace contradict each other; use one.");
            // Truncating and ANALYZE are the owner's (the app role may not): GRIDMAP_OWNER_DB when set.
            await using var ds = CliSupport.OpenOwnerDatabase(p, db);
            if (!await DemoCityLoader.IsEmptyAsync(ds, ct))
            {
                if (p.GetValue(ifEmpty)) { Console.WriteLine("database already holds data: demo not loaded (use --replace to overwrite)"); return 0; }
                if (!p.GetValue(replace)) throw new InvalidOperationException("the database already holds campaign data; use --replace to overwrite it or --if-empty to skip.");
            }
            var sw = Stopwatch.StartNew();
            DemoCity? city = null;
            await CliSupport.Progress().StartAsync(async ctx =>
            {
                var gen = ctx.AddTask("生成演示城市 generating", maxValue: 1);
                gen.IsIndeterminate = true;
                city = await Task.Run(() => DemoCityGenerator.Generate(p.GetValue(seed), new Progress<string>(s => gen.Description = "生成 " + Markup.Escape(s))), ct);
                gen.IsIndeterminate = false;
                gen.Value = 1;
                gen.Description = "生成演示城市 generated";
                var store = ctx.AddTask("写入数据库 loading", maxValue: 1);
                await DemoCityLoader.LoadAsync(ds, city, p.GetValue(replace), new Progress<(string Step, double Fraction)>(s =>
                {
                    store.Description = "写入 " + Markup.Escape(s.Step);
                    store.Value = s.Fraction;
                }), ct);
                store.Value = 1;
                store.Description = "写入数据库 loaded";
            });
            Console.WriteLine($"demo city loaded in {sw.Elapsed.TotalSeconds:0.0} s: {city!.Summary()}");
            return 0;
        }));
        var cmd = new Command("demo", "演示数据 (demo data)");
        cmd.Subcommands.Add(load);
        return cmd;
    }
}
