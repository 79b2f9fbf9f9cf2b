using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using static GridMap.Bench.BenchSupport;

namespace GridMap.Bench;

/// <summary>
/// `scripts/bench load`: many signed-in clients (real tokens from POST /api/auth/token for the demo users of every role)
/// against a running GridMap over a realistic mix — vector tiles at several zooms, GeoJSON pages, compound and pipe
/// details, isolation plans, and planning edits (cell locks) on a preview plan the bench partitions first — printing per
/// kind the count, errors, p50 and p99 beside a single-client baseline measured in the same run. Any answer other than
/// 2xx (204 for an empty tile) is an error. Starts its own server (the built CLI's `serve`, as GRIDMAP_DB's role) unless
/// --url is given.
/// </summary>
internal static class LoadBench
{
    private const string Usage = """
        usage: scripts/bench load [--seconds N] [--clients N] [--baseline-seconds N] [--url URL] [--users FILE]
          --seconds N           length of the loaded run (default 60)
          --clients N           concurrent signed-in clients (default 200)
          --baseline-seconds N  length of the single-client baseline before it (default: seconds / 4, at least 5)
          --url URL             a running GridMap (default: start `gridmap serve` on a free port over GRIDMAP_DB)
          --users FILE          demo users file of `gridmap users demo` (default: .run/demo-users.txt)
        needs GRIDMAP_DB with the demo city loaded (scripts/bench sets it, loads the demo and the demo users when missing)
        """;

    private sealed record User(string Name, string Role, string Branch, string Password);

    private sealed record Kind(string Name, int Weight, bool EditorsOnly);

    private static readonly Kind[] Kinds =
    [
        new("tile", 45, false), new("geojson", 15, false), new("compound", 12, false), new("pipe", 8, false),
        new("isolate", 10, false), new("edit", 10, true),
    ];

    private sealed class Stats
    {
        public readonly ConcurrentDictionary<string, ConcurrentBag<double>> Ms = new();
        public readonly ConcurrentDictionary<string, int> Errors = new();
        public readonly ConcurrentDictionary<string, string> FirstError = new();
        public void Add(string kind, double ms) => Ms.GetOrAdd(kind, _ => []).Add(ms);
        public void Error(string kind, string what)
        {
            Errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
            FirstError.TryAdd(kind, what);
        }
    }

    private sealed record World(double MinX, double MinY, double MaxX, double MaxY, int[] Compounds, long[] Pipes,
        (string Id, int MinZoom, int MaxZoom)[] Layers, long PlanId, int Cells, int? PlanBranch);

    public static int Run(string[] args)
    {
        int seconds = 60, clients = 200, baseline = -1;
        string? url = null, usersFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                case "--seconds": seconds = PositiveInt(Next(), "--seconds"); break;
                case "--clients": clients = PositiveInt(Next(), "--clients"); break;
                case "--baseline-seconds": baseline = PositiveInt(Next(), "--baseline-seconds"); break;
                case "--url": url = Next().TrimEnd('/'); break;
                case "--users": usersFile = Next(); break;
                default: Console.Error.WriteLine($"load bench: unknown option '{args[i]}'\n{Usage}"); return 2;
            }
        }
        if (baseline < 0) baseline = Math.Max(5, seconds / 4);
        var cs = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        if (string.IsNullOrEmpty(cs)) { Console.Error.WriteLine("load bench: GRIDMAP_DB is not set (scripts/bench sets it)"); return 1; }
        var root = Environment.GetEnvironmentVariable("GRIDMAP_ROOT") ?? Directory.GetCurrentDirectory();
        usersFile ??= Path.Combine(root, ".run", "demo-users.txt");
        if (!File.Exists(usersFile)) { Console.Error.WriteLine($"load bench: no demo users file {usersFile} (scripts/bench creates it with `gridmap users demo`)"); return 1; }
        var users = File.ReadAllLines(usersFile).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t'))
            .Where(f => f.Length >= 4).Select(f => new User(f[0], f[1], f[2], f[3])).ToList();
        if (users.Count == 0) { Console.Error.WriteLine($"load bench: {usersFile} lists no users"); return 1; }

        Process? server = null;
        try
        {
            if (url is null) (server, url) = StartServer(root, cs);
            return RunAsync(url, cs, users, seconds, clients, baseline).GetAwaiter().GetResult();
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(10_000);
            }
        }
    }

    private static int PositiveInt(string s, string flag) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{flag} needs a positive whole number, not '{s}'");

    private static (Process, string) StartServer(string root, string cs)
    {
        var dll = Path.Combine(root, "src", "GridMap.Cli", "bin", "Release", "net10.0", "gridmap.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"load bench: the CLI is not built ({dll}); scripts/bench load builds it");
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "serve", "--urls", url }) psi.ArgumentList.Add(a);
        psi.Environment["GRIDMAP_DB"] = cs;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // As scripts/run serves it: with background garbage collection and tiered compilation (gridmap's own defaults are off,
        // for batch commands).
        psi.Environment["DOTNET_gcConcurrent"] = Environment.GetEnvironmentVariable("DOTNET_gcConcurrent") ?? "1";
        psi.Environment["DOTNET_TieredCompilation"] = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "1";
        var p = Process.Start(psi)!;
        var log = new ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is { } d) log.Enqueue(d); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } d) log.Enqueue(d); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (p.HasExited) throw new InvalidOperationException("load bench: the server exited:\n" + string.Join("\n", log));
            try { if (http.GetAsync(url + "/api/health").GetAwaiter().GetResult().IsSuccessStatusCode) break; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(250);
        }
        Console.Error.WriteLine($"load bench: server pid {p.Id} at {url} (up in {sw.Elapsed.TotalSeconds:0.0} s)");
        return (p, url);
    }

    private static async Task<int> RunAsync(string url, string cs, List<User> users, int seconds, int clients, int baselineSeconds)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients + 8, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };

        // Real sign-in: one token per demo user.
        var tokens = new List<(User User, string Token)>();
        foreach (var u in users)
        {
            var res = await http.PostAsJsonAsync("/api/auth/token", new { username = u.Name, password = u.Password });
            if (!res.IsSuccessStatusCode) { Console.Error.WriteLine($"load bench: sign-in of {u.Name} failed: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}"); return 1; }
            tokens.Add((u, (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!));
        }
        var admin = tokens.FirstOrDefault(t => t.User.Role == "admin");
        if (admin.Token is null) { Console.Error.WriteLine("load bench: the users file has no admin"); return 1; }

        var world = await DiscoverAsync(http, cs, tokens);
        Console.Error.WriteLine($"load bench: {tokens.Count} users ({string.Join(", ", tokens.GroupBy(t => t.User.Role).Select(g => $"{g.Count()} {g.Key}"))}), preview plan {world.PlanId} with {world.Cells} cells, {world.Compounds.Length} compounds, {world.Pipes.Length} isolatable pipes sampled");

        var editors = tokens.Where(t => t.User.Role == "admin" || (t.User.Role == "planner" && world.PlanBranch is { } b && t.User.Branch == BranchName(cs, b))).Select(t => t.Token).ToHashSet();

        Console.Error.WriteLine($"load bench: single-client baseline for {baselineSeconds} s …");
        // Staff (网格员) may not read the network (403 by RouteAccess): their clients leave isolation plans out of their mix.
        var noNetwork = tokens.Where(t => t.User.Role == "staff").Select(t => t.Token).ToHashSet();
        var single = await DriveAsync(http, world, [admin.Token], editors, noNetwork, 1, baselineSeconds);
        Console.Error.WriteLine($"load bench: {clients} clients for {seconds} s …");
        var clientTokens = Enumerable.Range(0, clients).Select(i => tokens[i % tokens.Count].Token).ToArray();
        var loaded = await DriveAsync(http, world, clientTokens, editors, noNetwork, clients, seconds);

        Print(single, loaded, clients, seconds, baselineSeconds);
        var errors = loaded.Stats.Errors.Values.Sum() + single.Stats.Errors.Values.Sum();
        foreach (var (k, e) in loaded.Stats.FirstError.Concat(single.Stats.FirstError)) Console.Error.WriteLine($"load bench: first {k} error: {e}");
        return errors == 0 ? 0 : 3;
    }

    private static string BranchName(string cs, int id)
    {
        using var conn = new NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new NpgsqlCommand("SELECT name FROM branch WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        return (string)cmd.ExecuteScalar()!;
    }

    private static async Task<World> DiscoverAsync(HttpClient http, string cs, List<(User User, string Token)> tokens)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        double minX, minY, maxX, maxY;
        await using (var cmd = new NpgsqlCommand("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(footprint)::geometry AS e FROM compound) x", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync() || r.IsDBNull(0)) throw new InvalidOperationException("load bench: no compounds in GRIDMAP_DB (load the demo: scripts/gridmap demo load --if-empty)");
            (minX, minY, maxX, maxY) = (r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3));
        }
        var compounds = new List<int>();
        await using (var cmd = new NpgsqlCommand("SELECT id FROM compound ORDER BY md5(id::text) LIMIT 2000", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) compounds.Add(r.GetInt32(0));
        var candidates = new List<long>();
        await using (var cmd = new NpgsqlCommand("SELECT id FROM pipe ORDER BY md5(id::text) LIMIT 400", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) candidates.Add(r.GetInt64(0));

        var admin = tokens.First(t => t.User.Role == "admin").Token;
        // Isolation plans only for pipes that have one (a station device answers 422 not-isolatable, by design).
        var pipes = new List<long>();
        foreach (var id in candidates)
        {
            using var res = await Send(http, HttpMethod.Get, $"/api/network/isolate?pipe={id}", admin);
            if (res.IsSuccessStatusCode) pipes.Add(id);
            if (pipes.Count >= 100) break;
        }
        if (pipes.Count == 0) throw new InvalidOperationException("load bench: no isolatable pipe found");

        using var layersRes = await Send(http, HttpMethod.Get, "/api/layers", admin);
        var layers = (await layersRes.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Select(l => (l.GetProperty("id").GetString()!, l.GetProperty("minZoom").GetInt32(), l.GetProperty("maxZoom").GetInt32())).ToArray();

        // A preview plan to edit: the smallest street with 20+ compounds, partitioned by a planner of its branch (or the admin).
        string street; int branch;
        await using (var cmd = new NpgsqlCommand("""
            SELECT s.code, d.branch_id FROM street s JOIN district d ON d.code = s.district_code
            JOIN compound c ON ST_Intersects(c.footprint, s.area)
            GROUP BY s.code, d.branch_id HAVING count(*) >= 20 ORDER BY count(*), s.code LIMIT 1
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) throw new InvalidOperationException("load bench: no street with 20 compounds");
            (street, branch) = (r.GetString(0), r.GetInt32(1));
        }
        var planner = tokens.FirstOrDefault(t => t.User.Role == "planner" && t.User.Branch == BranchName(cs, branch)).Token ?? admin;
        using var job = await Send(http, HttpMethod.Post, "/api/planning/partitions", planner, new { area = new { kind = "street", code = street }, timeLimit = 5 });
        if (job.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"load bench: partition refused: {(int)job.StatusCode} {await job.Content.ReadAsStringAsync()}");
        var jobId = (await job.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        long? planId = null;
        var sw = Stopwatch.StartNew();
        while (planId is null && sw.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(500);
            using var st = await Send(http, HttpMethod.Get, $"/api/planning/jobs/{jobId}", planner);
            var j = await st.Content.ReadFromJsonAsync<JsonElement>();
            var status = j.GetProperty("status").GetString();
            if (status == "succeeded") planId = j.GetProperty("planId").GetInt64();
            else if (status is "failed" or "cancelled") throw new InvalidOperationException($"load bench: partition {status}: {j}");
        }
        if (planId is null) throw new InvalidOperationException("load bench: partition did not finish in 3 minutes");
        using var cellsRes = await Send(http, HttpMethod.Get, $"/api/planning/plans/{planId}/cells", planner);
        var cellsJson = await cellsRes.Content.ReadFromJsonAsync<JsonElement>();
        var cells = cellsJson.ValueKind == JsonValueKind.Array ? cellsJson.GetArrayLength()
            : cellsJson.TryGetProperty("features", out var f) ? f.GetArrayLength() : 4;
        return new World(minX, minY, maxX, maxY, [.. compounds], [.. pipes], layers, planId.Value, Math.Max(1, cells), branch);
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token, object? body = null)
    {
        var req = new HttpRequestMessage(method, path);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) req.Content = JsonContent.Create(body);
        return http.SendAsync(req);
    }

    private sealed record RunResult(Stats Stats, double Seconds);

    private static async Task<RunResult> DriveAsync(HttpClient http, World w, string[] clientTokens, HashSet<string> editors, HashSet<string> noNetwork, int clients, int seconds)
    {
        var stats = new Stats();
        var end = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var started = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var rnd = new Random(1000 + c);
            var token = clientTokens[c % clientTokens.Length];
            var kinds = Kinds.Where(k => (!k.EditorsOnly || editors.Contains(token)) && !(k.Name == "isolate" && noNetwork.Contains(token))).ToArray();
            var total = kinds.Sum(k => k.Weight);
            while (Stopwatch.GetTimestamp() < end)
            {
                var pick = rnd.Next(total);
                var kind = kinds.First(k => (pick -= k.Weight) < 0);
                var (method, path, body) = Request(kind.Name, w, rnd);
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var res = await Send(http, method, path, token, body);
                    var bytes = await res.Content.ReadAsByteArrayAsync();
                    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (res.IsSuccessStatusCode) stats.Add(kind.Name, ms);
                    else stats.Error(kind.Name, $"{method} {path} → {(int)res.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 300))}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    stats.Error(kind.Name, $"{method} {path} → {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return new RunResult(stats, started.Elapsed.TotalSeconds);
    }

    private static readonly int[] TileZooms = [11, 13, 15];

    private static (HttpMethod, string, object?) Request(string kind, World w, Random rnd)
    {
        var lon = w.MinX + rnd.NextDouble() * (w.MaxX - w.MinX);
        var lat = w.MinY + rnd.NextDouble() * (w.MaxY - w.MinY);
        switch (kind)
        {
            case "tile":
            {
                var z = TileZooms[rnd.Next(TileZooms.Length)];
                var fits = w.Layers.Where(l => l.MinZoom <= z && z <= l.MaxZoom).ToArray();
                var layer = fits.Length > 0 ? fits[rnd.Next(fits.Length)].Id : w.Layers[0].Id;
                var n = 1 << z;
                var x = (int)((lon + 180) / 360 * n);
                var y = (int)((1 - Math.Log(Math.Tan(lat * Math.PI / 180) + 1 / Math.Cos(lat * Math.PI / 180)) / Math.PI) / 2 * n);
                return (HttpMethod.Get, $"/tiles/{layer}/{z}/{x}/{y}.mvt", null);
            }
            case "geojson":
            {
                var layer = rnd.Next(2) == 0 ? "compounds" : "pipes";
                var d = 0.005;
                return (HttpMethod.Get, FormattableString.Invariant($"/api/layers/{layer}/features?bbox={lon - d:0.00000},{lat - d:0.00000},{lon + d:0.00000},{lat + d:0.00000}&limit=500"), null);
            }
            case "compound": return (HttpMethod.Get, $"/api/compounds/{w.Compounds[rnd.Next(w.Compounds.Length)]}", null);
            case "pipe": return (HttpMethod.Get, $"/api/pipes/{w.Pipes[rnd.Next(w.Pipes.Length)]}", null);
            case "isolate": return (HttpMethod.Get, $"/api/network/isolate?pipe={w.Pipes[rnd.Next(w.Pipes.Length)]}", null);
            case "edit": return (HttpMethod.Put, $"/api/planning/plans/{w.PlanId}/cells/{rnd.Next(w.Cells)}/lock", new { locked = rnd.Next(2) == 0 });
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void Print(RunResult single, RunResult loaded, int clients, int seconds, int baselineSeconds)
    {
        Console.WriteLine($"### Load: {clients} signed-in clients for {seconds} s vs one client for {baselineSeconds} s (same run)");
        Console.WriteLine();
        Console.WriteLine("| kind | 1 client: requests | p50 ms | p99 ms | " + clients + " clients: requests | errors | p50 ms | p99 ms | req/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        long totalReq = 0, totalErr = 0;
        foreach (var k in Kinds.Select(k => k.Name))
        {
            var a = single.Stats.Ms.TryGetValue(k, out var sa) ? sa.OrderBy(v => v).ToList() : [];
            var b = loaded.Stats.Ms.TryGetValue(k, out var sb) ? sb.OrderBy(v => v).ToList() : [];
            var errs = loaded.Stats.Errors.GetValueOrDefault(k) + single.Stats.Errors.GetValueOrDefault(k);
            totalReq += b.Count + loaded.Stats.Errors.GetValueOrDefault(k);
            totalErr += errs;
            Console.WriteLine(FormattableString.Invariant(
                $"| {k} | {a.Count} | {NearestRank(a, 0.5):0.0} | {NearestRank(a, 0.99):0.0} | {b.Count + loaded.Stats.Errors.GetValueOrDefault(k)} | {errs} | {NearestRank(b, 0.5):0.0} | {NearestRank(b, 0.99):0.0} | {b.Count / loaded.Seconds:0.0} |"));
        }
        Console.WriteLine(FormattableString.Invariant($"| **all** | {single.Stats.Ms.Values.Sum(v => v.Count)} | | | {totalReq} | {totalErr} | | | {totalReq / loaded.Seconds:0.0} |"));
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Errors: {totalErr} (any answer but 2xx, or a failed connection). Processor count {Environment.ProcessorCount}; load average at the end {LoadAverage()}."));
    }
}
