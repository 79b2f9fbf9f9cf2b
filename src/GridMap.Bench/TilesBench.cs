using System.Diagnostics;
using System.Globalization;
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
using static GridMap.Bench.BenchSupport;

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
        // --ab: also the A/B rows (prepared statements off, a smaller pool, the tile fast path off, the .NET HttpClient as client).
        var ab = args.Contains("--ab");
        // --zooms 14,16: only those recorded paths (default 12,14,16).
        var zooms = args.SkipWhile(a => a != "--zooms").Skip(1).Select(a => a.Split(',').Select(z => int.Parse(z, CultureInfo.InvariantCulture)).ToArray())
            .FirstOrDefault([12, 14, 16]);
        var cs = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        if (string.IsNullOrEmpty(cs)) { Console.Error.WriteLine("tiles bench: set GRIDMAP_DB to a database with the demo city"); return 1; }
        return RunAsync(cs, seconds, ab, zooms, args).GetAwaiter().GetResult();
    }

    /// <summary>A recorded path: <see cref="Rows"/> × <see cref="Steps"/> viewports of <see cref="Width"/> × <see cref="Height"/>
    /// tiles from (<paramref name="X0"/>, <paramref name="Y0"/>), each <paramref name="Stride"/> tiles east (then south) of the last.</summary>
    private sealed record Path(int Z, List<TileAddress> Tiles, int X0, int Y0, int Stride);

    private const int Rows = 3, Steps = 6, Width = 8, Height = 5;

    /// <summary>The recorded path at zoom z: viewports of 8×5 tiles panning east then south over central Zhengzhou.</summary>
    private static Path Recorded(int z)
    {
        var start = TileAddress.Covering(new BoundingBox(113.62, 34.78, 113.6201, 34.7801), z).First();
        var tiles = new List<TileAddress>();
        // A pan of a third of a screen per step at z14/z16; at z12 one tile per step (the city is ~20 tiles wide there).
        var stride = z <= 12 ? 1 : 3;
        for (var row = 0; row < Rows; row++)
            for (var step = 0; step < Steps; step++)
            {
                int x0 = start.X + step * stride, y0 = start.Y + row * stride;
                for (var y = y0; y < y0 + Height; y++)
                    for (var x = x0; x < x0 + Width; x++)
                        tiles.Add(new TileAddress(z, x, y));
            }
        return new Path(z, tiles, start.X, start.Y, stride);
    }

    /// <summary>
    /// pgbench meta-commands that draw a tile of <paramref name="path"/> the way the service's client meets them: entry i of the
    /// path, i uniform over its length — the same tiles as often as the path holds them (the centre of the pan, which more
    /// viewports cover, more often). Checked here against the path itself.
    /// </summary>
    private static string PathDraw(Path path)
    {
        const int perViewport = Width * Height, perRow = Steps * perViewport;
        static (int X, int Y) At(Path p, int i) =>
            (p.X0 + i % perRow / perViewport * p.Stride + i % Width, p.Y0 + i / perRow * p.Stride + i % perViewport / Width);
        for (var i = 0; i < path.Tiles.Count; i++)
            if (At(path, i) != (path.Tiles[i].X, path.Tiles[i].Y)) throw new InvalidOperationException($"pgbench draw formula disagrees with the path at entry {i}");
        return string.Create(CultureInfo.InvariantCulture,
            $"\\set i random(0, {path.Tiles.Count - 1})\n\\set x {path.X0} + :i % {perRow} / {perViewport} * {path.Stride} + :i % {Width}\n\\set y {path.Y0} + :i / {perRow} * {path.Stride} + :i % {perViewport} / {Width}\n");
    }

    /// <summary>One measured run: throughput, latency, and CPU milliseconds per 1,000 tiles (= µs per tile) of the load
    /// generator (pgbench or the tiles client), the server (GridMap; 0 for pgbench), PostgreSQL, other processes, idle.</summary>
    private sealed record Result(double Tps, double P50, double P99, double Client, double Server, double Postgres, double Others, double Idle);

    private static async Task<int> RunAsync(string cs, int seconds, bool ab, int[] zooms, string[] args)
    {
        var layer = "compounds";
        // --repeat N: every zoom's rows N times over, interleaved (A B C A B C …), to show how much a row moves between runs.
        var repeat = args.SkipWhile(a => a != "--repeat").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1);
        var paths = Enumerable.Range(0, repeat).SelectMany(_ => zooms.Select(Recorded)).ToArray();
        var rows = new List<string>();
        // --only TEXT: only the service rows whose label holds TEXT (the bare row always runs), e.g. for a profile of one path.
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        bool Want(string label) => only is null || label.Contains(only, StringComparison.Ordinal);
        var loadStart = LoadAverage();
        await using var ds = GridMapDatabase.Create(cs);
        var meter = await CpuMeter.ForAsync(cs);
        var store = new LayerStore(ds, LayerCatalog.Default);
        // Warm-up (not measured): the server lives in this process, and the first run in it used to pay for the JIT (perf: the
        // JIT and tier-up took ~20% of the server's CPU in the first cache-off window, which made that row look worst). A
        // service runs for hours, so its steady state is what is measured: one unmeasured cache-off and cache-on run first.
        if (!args.Contains("--no-warmup"))
        {
            await Http(cs, paths[0], layer, Math.Max(2, seconds), meter, cache: false);
            await Http(cs, paths[0], layer, Math.Max(2, seconds), meter, cache: true);
        }
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
            var bare = Pgbench(cs, layer, path, seconds, meter);
            string Row(string what, Result r) =>
                $"| z{path.Z} | {what} | {r.Tps:N0} | {r.P50:0.00} | {r.P99:0.00} | {r.Tps / bare.Tps:0.00} | {r.Client:0} | {r.Server:0} | {r.Postgres:0} | {r.Client + r.Server + r.Postgres:0} | {r.Others:0} | {r.Idle:0} | {Ideal(r):N0} | {Ideal(r) / Ideal(bare):0.00} |";
            rows.Add($"| z{path.Z} | tiles in path: {path.Tiles.Count} ({distinct} distinct), MVT {bytes / 1024.0 / distinct:0.0} KiB/tile, gzip {gz / 1024.0 / distinct:0.0} KiB/tile | | | | | | | | | | | | |");
            rows.Add(Row("bare `ST_AsMVT` (pgbench, same tile SQL)", bare));
            if (Want("service, cache off (`GridMap__Tiles__Cache=false`)")) rows.Add(Row("service, cache off (`GridMap__Tiles__Cache=false`)", await Http(cs, path, layer, seconds, meter, cache: false)));
            if (ab)
            {
                if (Want("service, cache off, session reset per tile (round 2: `No Reset On Close=false`)")) rows.Add(Row("service, cache off, session reset per tile (round 2: `No Reset On Close=false`)", await Http(cs, path, layer, seconds, meter, cache: false, connection: "No Reset On Close=false")));
                if (Want("service, cache off, no prepared statements (`Max Auto Prepare=0`)")) rows.Add(Row("service, cache off, no prepared statements (`Max Auto Prepare=0`)", await Http(cs, path, layer, seconds, meter, cache: false, connection: "Max Auto Prepare=0")));
                if (Want("service, cache off, pool of 4 connections (`Maximum Pool Size=4`)")) rows.Add(Row("service, cache off, pool of 4 connections (`Maximum Pool Size=4`)", await Http(cs, path, layer, seconds, meter, cache: false, connection: "Maximum Pool Size=4")));
                if (Want("service, cache off, tile fast path off (`GridMap__Tiles__FastPath=false`)")) rows.Add(Row("service, cache off, tile fast path off (`GridMap__Tiles__FastPath=false`)", await Http(cs, path, layer, seconds, meter, cache: false, fastPath: false)));
                if (Want("service, cache off, client: async sockets (round 2's client)")) rows.Add(Row("service, cache off, client: async sockets (round 2's client)", await Http(cs, path, layer, seconds, meter, cache: false, client: "--async")));
                if (Want("service, cache off, client: .NET HttpClient")) rows.Add(Row("service, cache off, client: .NET HttpClient", await Http(cs, path, layer, seconds, meter, cache: false, client: "--httpclient")));
                if (Want("service, cache off, Kestrel inline scheduling (experiment)")) rows.Add(Row("service, cache off, Kestrel inline scheduling (experiment)", await Http(cs, path, layer, seconds, meter, cache: false, inline: true)));
            }
            if (Want("service, cache on (warm), change log read per request (`GridMap__Tiles__Freshness=check`)")) rows.Add(Row("service, cache on (warm), change log read per request (`GridMap__Tiles__Freshness=check`)", await Http(cs, path, layer, seconds, meter, cache: true, freshness: "check")));
            if (Want("service, cache on (warm), LISTEN/NOTIFY (default)")) rows.Add(Row("service, cache on (warm), LISTEN/NOTIFY (default)", await Http(cs, path, layer, seconds, meter, cache: true)));
            if (ab)
            {
                if (Want("service, cache on, tile fast path off (`GridMap__Tiles__FastPath=false`)")) rows.Add(Row("service, cache on, tile fast path off (`GridMap__Tiles__FastPath=false`)", await Http(cs, path, layer, seconds, meter, cache: true, fastPath: false)));
                if (Want("service, cache on, client: async sockets (round 2's client)")) rows.Add(Row("service, cache on, client: async sockets (round 2's client)", await Http(cs, path, layer, seconds, meter, cache: true, client: "--async")));
                if (Want("service, cache on, client: .NET HttpClient")) rows.Add(Row("service, cache on, client: .NET HttpClient", await Http(cs, path, layer, seconds, meter, cache: true, client: "--httpclient")));
                if (Want("service, cache on, Kestrel inline scheduling (experiment)")) rows.Add(Row("service, cache on, Kestrel inline scheduling (experiment)", await Http(cs, path, layer, seconds, meter, cache: true, inline: true)));
            }
        }
        Console.WriteLine($"### Compound vector tiles along recorded viewport paths ({Connections} connections, {seconds} s per run, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine($"Load average at start: {loadStart}; at end: {LoadAverage()} (other processes on the machine share its cores).");
        Console.WriteLine();
        // The server's thread-pool setting (runtimeconfig, as for `gridmap serve`; DOTNET_ThreadPool_UnfairSemaphoreSpinLimit overrides it).
        Console.WriteLine($"Thread-pool spin limit: runtimeconfig {AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default (70)"}, " +
                          $"DOTNET_ThreadPool_UnfairSemaphoreSpinLimit={Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "unset"}.");
        Console.WriteLine();
        Console.WriteLine("CPU columns: µs of CPU per tile, during the measured window (/proc): the load generator (pgbench or the tiles " +
                          "client), the GridMap server, PostgreSQL (postmaster and backends), their sum, other processes on the machine, idle.");
        Console.WriteLine();
        Console.WriteLine($"Idle-machine estimate: {Environment.ProcessorCount} cores × 1,000,000 µs ÷ sum (client + server + PostgreSQL µs per tile), the " +
                          "tiles/s the path would reach if nothing else ran and it kept every core busy; \"÷ bare\" compares it with the bare row's.");
        Console.WriteLine();
        Console.WriteLine("| zoom | what | tiles/s | p50 ms | p99 ms | × bare | client | server | PostgreSQL | sum | others | idle | idle-machine tiles/s | ÷ bare |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows) Console.WriteLine(r);
        return 0;
    }

    /// <summary>Tiles/s on an otherwise idle machine if the path kept every core busy: cores × 10⁶ µs ÷ CPU µs per tile.</summary>
    private static double Ideal(Result r) => r.Client + r.Server + r.Postgres <= 0 ? 0 : Environment.ProcessorCount * 1e6 / (r.Client + r.Server + r.Postgres);

    private static Result Split(CpuMeter.Sample a, CpuMeter.Sample b, double client, long tiles)
    {
        var per = tiles == 0 ? 0 : 1e6 / tiles; // CPU seconds → µs per tile
        double server = b.Self - a.Self, pg = b.Postgres - a.Postgres, busy = b.MachineBusy - a.MachineBusy, all = b.MachineAll - a.MachineAll;
        return new Result(0, 0, 0, client * per, server * per, pg * per, Math.Max(0, busy - client - server - pg) * per, (all - busy) * per);
    }

    private static Result Pgbench(string cs, string layer, Path path, int seconds, CpuMeter meter)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        var dir = Directory.CreateTempSubdirectory("gm-pgbench-");
        try
        {
            // Same SQL as the service, and the same tiles as often as the service's client asks for them (PathDraw). Until
            // round 4 the tile was drawn uniformly from the path's rectangle, which asks for the pan's edges as often as its
            // centre (pgbench at z16, 1 client: the path's mix is about 5% slower per tile than the rectangle's).
            var sql = LayerCatalog.Default.Get(layer).TileQueryAt(path.Z)!.Text;
            var body = string.Join(' ', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
                .Replace("@z", path.Z.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@x", ":x", StringComparison.Ordinal).Replace("@y", ":y", StringComparison.Ordinal)
                .Replace("@layer", $"'{layer}'", StringComparison.Ordinal);
            var script = System.IO.Path.Combine(dir.FullName, "tile.sql");
            File.WriteAllText(script, $"{PathDraw(path)}{body}\n");
            var psi = new ProcessStartInfo("pgbench") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.FullName };
            foreach (var a in new[] { "-n", "-M", "prepared", "-c", Connections.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
                         "-l", "--log-prefix", System.IO.Path.Combine(dir.FullName, "log"), "-f", script,
                         "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, b.Database! })
                psi.ArgumentList.Add(a);
            psi.Environment["PGPASSWORD"] = b.Password ?? "";
            var pgBefore = meter.PostgresChildren();
            var before = meter.Take();
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            // pgbench's backends may still be exiting: their CPU time counts only once the postmaster has reaped them.
            meter.WaitForNewBackendsToExit(pgBefore, TimeSpan.FromSeconds(3));
            var after = meter.Take();
            if (p.ExitCode != 0) throw new InvalidOperationException("pgbench failed: " + err + output);
            var latencies = Directory.EnumerateFiles(dir.FullName, "log*")
                .SelectMany(File.ReadLines).Select(l => l.Split(' ')).Where(f => f.Length > 2)
                .Select(f => double.Parse(f[2], CultureInfo.InvariantCulture) / 1000.0).Order().ToArray();
            var tps = double.Parse(System.Text.RegularExpressions.Regex.Match(output, @"tps = ([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
            // pgbench is a child of this process: its CPU time is in this process's children time; this process only waits.
            var cpu = Split(before, after, after.Children - before.Children, latencies.Length);
            return cpu with { Tps = tps, P50 = NearestRank(latencies, 0.50), P99 = NearestRank(latencies, 0.99), Server = 0 };
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static async Task<Result> Http(string cs, Path path, string layer, int seconds, CpuMeter meter, bool cache,
        string freshness = "notify", string? connection = null, bool fastPath = true, string? client = null, bool inline = false)
    {
        const string user = "bench-tiles";
        var cacheDir = Directory.CreateTempSubdirectory("gm-bench-tilecache-");
        var app = GridMapApp.Build([], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration["ConnectionStrings:GridMap"] = connection is null ? cs : cs.TrimEnd(';') + ";" + connection;
            b.Configuration["GridMap:Tiles:Cache"] = cache ? "true" : "false";
            b.Configuration["GridMap:Tiles:CacheDir"] = cacheDir.FullName;
            b.Configuration["GridMap:Tiles:Freshness"] = freshness;
            b.Configuration["GridMap:Tiles:FastPath"] = fastPath ? "true" : "false";
            // Kestrel runs request code on its socket threads instead of handing it to the thread pool (an experiment only:
            // anything slow on those threads — a PDF being drawn — would hold up every connection they serve).
            if (inline) b.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        });
        try
        {
            if (await app.Services.GetRequiredService<UserStore>().FindAsync(user) is null)
                await app.Services.GetRequiredService<UserAccounts>().AddAsync(user, Roles.Admin, null, "Bench-" + Guid.NewGuid().ToString("N"));
            var signedIn = await app.Services.GetRequiredService<UserDirectory>().ActiveAsync(user, null)
                ?? throw new InvalidOperationException($"user {user} is disabled");
            var token = (await app.Services.GetRequiredService<TokenService>().IssueAsync(signedIn)).AccessToken;
            await app.StartAsync();
            var address = new Uri(app.Urls.First());
            var urls = path.Tiles.Select(t => $"/tiles/{layer}/{t.Z}/{t.X}/{t.Y}.mvt").ToArray();
            // Warm up (and, with the cache on, fill it).
            using (var http = new HttpClient { BaseAddress = address })
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                foreach (var u in urls.Distinct()) (await http.GetAsync(u)).EnsureSuccessStatusCode();
            }
            // The load generator is a process of its own, so its CPU time is measured apart from the server's: it warms up
            // for a second (JIT tiers up, pools fill), says "warm", measures, and prints its figures.
            var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { typeof(TilesClient).Assembly.Location, "tiles-client", "--port", address.Port.ToString(CultureInfo.InvariantCulture),
                         "--connections", Connections.ToString(CultureInfo.InvariantCulture), "--warmup", "1", "--seconds", seconds.ToString(CultureInfo.InvariantCulture) })
                psi.ArgumentList.Add(a);
            if (client is not null) psi.ArgumentList.Add(client);
            psi.Environment["GRIDMAP_BENCH_TOKEN"] = token;
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            foreach (var u in urls) await p.StandardInput.WriteLineAsync(u);
            p.StandardInput.Close();
            var warm = await p.StandardOutput.ReadLineAsync();
            var before = meter.Take();
            var line = await p.StandardOutput.ReadLineAsync();
            var after = meter.Take();
            await p.WaitForExitAsync();
            if (warm != "warm" || line is null || p.ExitCode != 0) throw new InvalidOperationException($"tiles client failed ({p.ExitCode}): {warm} {line} {await stderr}");
            var f = line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var count = (long)f[0];
            var cpu = Split(before, after, f[4] / 1000.0, count);
            return cpu with { Tps = count / f[1], P50 = f[2], P99 = f[3] };
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            cacheDir.Delete(true);
        }
    }
}
