using System.CommandLine;
using GridMap.Api;
using Microsoft.Extensions.Hosting;

namespace GridMap.Cli.Commands;

/// <summary>`gridmap serve` — runs the web service and the map client.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "监听地址 (address to listen on)", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var basemap = new Option<string?>("--basemap-url") { Description = "可选 XYZ 底图 URL 模板 (optional XYZ raster basemap, e.g. http://tiles.local/{z}/{x}/{y}.png)" };
        var db = CliSupport.DbOption();
        var cmd = new Command("serve", "启动 GridMap 服务与地图页面 (serve the API, tiles and web client)") { urls, basemap, db };
        cmd.SetAction((p, ct) => CliSupport.Run(async () =>
        {
            var args = new List<string> { "--urls", p.GetValue(urls)! };
            if (p.GetValue(db) is { } cs) args.AddRange(["--ConnectionStrings:GridMap", cs]);
            if (p.GetValue(basemap) is { } b) args.AddRange(["--GridMap:BasemapUrl", b]);
            var app = GridMapApp.Build([.. args]);
            await app.StartAsync(ct);
            Console.WriteLine($"GridMap is serving at {p.GetValue(urls)}  (Ctrl+C to stop)");
            await app.WaitForShutdownAsync(ct);
            return 0;
        }));
        return cmd;
    }
}
