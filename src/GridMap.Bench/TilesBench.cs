using System.Diagnostics;
using System.Globalization;
using System.Net;
using GridMap.Api;
using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Storage;
using GridMap.Storage.Auth;
using GridMap.Storage.Layers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GridMap.Bench;

/// <summary>
/// scripts/bench tiles: recorded viewport paths (a 1920×1080 screen panning across the city centre) at z12, z14 and z16,
/// through the real service over HTTP (Kestrel on loopback, gzip, 8 connections) with the tile cache off and on, beside a
/// bare ST_AsMVT of the same tile SQL through pgbench (8 clients) in the same run. Needs GRIDMAP_DB with the demo city;
/// adds a user 'bench-tiles' (admin) to that database if missing, because every tile needs a signed-in user.
/// </summary>
public static class TilesBench
{
    private const int Connections = 8;

    public static int Run(string[] args)
    {
        var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(8);
        var cs = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        if (string.IsNullOrEmpty(cs)) { Console.Error.WriteLine("tiles bench: set GRIDMAP_DB to a database with the demo city"); return 1; }
        return RunAsync(cs, seconds).GetAwaiter().GetResult();
    }

    private sealed record Path(int Z, List<TileAddress> Tiles);

    /// <summary>The recorded path at zoom z: viewports of 8×5 tiles panning east then south over central Zhengzhou.</summary>
    private static Path Recorded(int z)
    {
        var start = TileAddress.Covering(new BoundingBox(113.62, 34.78, 113.6201, 34.7801), z).First();
        var tiles = new List<TileAddress>();
        // A pan of a third of a screen per step at z14/z16; at z12 one tile per step (the city is ~20 tiles wide there).
        var stride = z <= 12 ? 1 : 3;
        for (var row = 0; row < 3; row++)
            for (var step = 0; step < 6; step++)
            {
                int x0 = start.X + step * stride, y0 = start.Y + row * stride;
                for (var y = y0; y < y0 + 5; y++)
                    for (var x = x0; x < x0 + 8; x++)
                        tiles.Add(new TileAddress(z, x, y));
            }
        return new Path(z, tiles);
    }

    private static async Task<int> RunAsync(string cs, int seconds)
    {
        var layer = "compounds";
        var paths = new[] { Recorded(12), Recorded(14), Recorded(16) };
        var rows = new List<string>();
        var loadStart = LoadAverage();
        await using var ds = GridMapDatabase.Create(cs);
        var store = new LayerStore(ds, LayerCatalog.Default);
        foreach (var path in paths)
        {
            long bytes = 0, gz = 0;
            foreach (var t in path.Tiles.Distinct())
            {
                var b = await store.TileAsync(layer, t);
                bytes += b.Length;
                gz += GridMap.Application.Layers.TileBody.From(b).Gzip.Length;
            }
            var distinct = path.Tiles.Distinct().Count();
            var bare = Pgbench(cs, layer, path, seconds);
            var off = await Http(cs, path, layer, cache: false, seconds);
            var check = await Http(cs, path, layer, cache: true, seconds, freshness: "check");
            var on = await Http(cs, path, layer, cache: true, seconds);
            string Row(string what, (double Tps, double P50, double P99) r) =>
                $"| z{path.Z} | {what} | {r.Tps:N0} | {r.P50:0.00} | {r.P99:0.00} | {r.Tps / bare.Tps:0.00} |";
            rows.Add($"| z{path.Z} | tiles in path: {path.Tiles.Count} ({distinct} distinct), MVT {bytes / 1024.0 / distinct:0.0} KiB/tile, gzip {gz / 1024.0 / distinct:0.0} KiB/tile | | | | |");
            rows.Add(Row("bare `ST_AsMVT` (pgbench, same tile SQL)", bare));
            rows.Add(Row("service, cache off (`GridMap__Tiles__Cache=false`)", off));
            rows.Add(Row("service, cache on (warm), change log read per request (`GridMap__Tiles__Freshness=check`)", check));
            rows.Add(Row("service, cache on (warm), LISTEN/NOTIFY (default)", on));
        }
        Console.WriteLine($"### Compound vector tiles along recorded viewport paths ({Connections} connections, {seconds} s per run, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine($"Load average at start: {loadStart}; at end: {LoadAverage()} (other processes on the machine share its cores).");
        Console.WriteLine();
        Console.WriteLine("| zoom | what | tiles/s | p50 ms | p99 ms | × bare |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in rows) Console.WriteLine(r);
        return 0;
    }

    private static (double Tps, double P50, double P99) Pgbench(string cs, string layer, Path path, int seconds)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        var dir = Directory.CreateTempSubdirectory("gm-pgbench-");
        try
        {
            // Same SQL as the service; the tile is drawn uniformly from the path's rectangle.
            int x0 = path.Tiles.Min(t => t.X), x1 = path.Tiles.Max(t => t.X), y0 = path.Tiles.Min(t => t.Y), y1 = path.Tiles.Max(t => t.Y);
            var sql = LayerCatalog.Default.Get(layer).TileQueryAt(path.Z)!.Text;
            var body = string.Join(' ', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
                .Replace("@z", path.Z.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@x", ":x", StringComparison.Ordinal).Replace("@y", ":y", StringComparison.Ordinal)
                .Replace("@layer", $"'{layer}'", StringComparison.Ordinal);
            var script = System.IO.Path.Combine(dir.FullName, "tile.sql");
            File.WriteAllText(script, $"\\set x random({x0}, {x1})\n\\set y random({y0}, {y1})\n{body}\n");
            var psi = new ProcessStartInfo("pgbench") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.FullName };
            foreach (var a in new[] { "-n", "-M", "prepared", "-c", Connections.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
                         "-l", "--log-prefix", System.IO.Path.Combine(dir.FullName, "log"), "-f", script,
                         "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, b.Database! })
                psi.ArgumentList.Add(a);
            psi.Environment["PGPASSWORD"] = b.Password ?? "";
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("pgbench failed: " + err + output);
            var latencies = Directory.EnumerateFiles(dir.FullName, "log*")
                .SelectMany(File.ReadLines).Select(l => l.Split(' ')).Where(f => f.Length > 2)
                .Select(f => double.Parse(f[2], CultureInfo.InvariantCulture) / 1000.0).Order().ToArray();
            var tps = double.Parse(System.Text.RegularExpressions.Regex.Match(output, @"tps = ([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
            return (tps, Pct(latencies, 50), Pct(latencies, 99));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static async Task<(double Tps, double P50, double P99)> Http(string cs, Path path, string layer, bool cache, int seconds, string freshness = "notify")
    {
        const string user = "bench-tiles";
        var cacheDir = Directory.CreateTempSubdirectory("gm-bench-tilecache-");
        var app = GridMapApp.Build([], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration["ConnectionStrings:GridMap"] = cs;
            b.Configuration["GridMap:Tiles:Cache"] = cache ? "true" : "false";
            b.Configuration["GridMap:Tiles:CacheDir"] = cacheDir.FullName;
            b.Configuration["GridMap:Tiles:Freshness"] = freshness;
        });
        try
        {
            if (await app.Services.GetRequiredService<UserStore>().FindAsync(user) is null)
                await app.Services.GetRequiredService<UserAccounts>().AddAsync(user, Roles.Admin, null, "Bench-" + Guid.NewGuid().ToString("N"));
            var signedIn = await app.Services.GetRequiredService<UserDirectory>().ActiveAsync(user, null)
                ?? throw new InvalidOperationException($"user {user} is disabled");
            var token = (await app.Services.GetRequiredService<TokenService>().IssueAsync(signedIn)).AccessToken;
            await app.StartAsync();
            var address = app.Urls.First();
            // A lean client (it shares the 2 cores with the server): no proxy lookup, no cookies, no decompression.
            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = Connections, AutomaticDecompression = DecompressionMethods.None, UseProxy = false, UseCookies = false,
            };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var urls = path.Tiles.Select(t => $"/tiles/{layer}/{t.Z}/{t.X}/{t.Y}.mvt").ToArray();
            // Warm up (and, with the cache on, fill it).
            foreach (var u in urls.Distinct()) (await http.GetAsync(u)).EnsureSuccessStatusCode();
            // One second of the same load first (JIT tiers up, pools fill), then the measured run.
            await Load(http, urls, TimeSpan.FromSeconds(1));
            return await Load(http, urls, TimeSpan.FromSeconds(seconds));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            cacheDir.Delete(true);
        }
    }

    private static async Task<(double Tps, double P50, double P99)> Load(HttpClient http, string[] urls, TimeSpan until)
    {
        {
            var latencies = new List<double>[Connections];
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Connections).Select(async w =>
            {
                var mine = latencies[w] = new List<double>(200_000);
                var i = w * 37;
                while (sw.Elapsed < until)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    using var res = await http.GetAsync(urls[i++ % urls.Length], HttpCompletionOption.ResponseContentRead);
                    if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"{res.StatusCode} for a tile");
                    mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
            }));
            var all = latencies.SelectMany(l => l).Order().ToArray();
            return (all.Length / sw.Elapsed.TotalSeconds, Pct(all, 50), Pct(all, 99));
        }
    }

    /// <summary>The 1/5/15-minute load averages (Linux /proc/loadavg), or "n/a".</summary>
    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p / 100))];
}
