using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using GridMap.Domain.Partitioning;
using NetTopologySuite.Geometries;

namespace GridMap.Bench;

/// <summary>
/// `bench partition-cli [--seeds 1] [--rounds 1] [--cli PATH/gridmap.dll] [--no-100k]`: the `gridmap partition` process end
/// to end, as a planner runs it — start-up, reading the GeoJSON, the adjacency, the search, writing the plan and the
/// report — timed from outside with /usr/bin/time (wall, user + system CPU, peak memory). Instances: 4,120 precinct-like
/// units that tile the area (<see cref="PrecinctLikeTiling"/>, standing in for the Minnesota precincts) → 67 cells ±2 %,
/// and 100,000 synthetic compounds → 1,667 cells ±5 %. The input files are written once to a temporary folder.
/// With `--cli` twice (`--cli A --cli B`) the two builds run alternately, round by round (A/B in the same run).
/// Beside each, gpmetis -contig on the same graph (built in this process) as in `bench partition`.
/// </summary>
internal static class PartitionEndToEndBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var seeds = Arg(args, "--seeds", "1").Split(',').Select(s => int.Parse(s, Inv)).ToArray();
        var rounds = int.Parse(Arg(args, "--rounds", "1"), Inv);
        var clis = new List<string>();
        for (var i = 0; i + 1 < args.Length; i++) if (args[i] == "--cli") clis.Add(Path.GetFullPath(args[i + 1]));
        if (clis.Count == 0)
            clis.Add(Path.Combine(RepoRoot(), "src", "GridMap.Cli", "bin", "Release", "net10.0", "gridmap.dll"));
        foreach (var c in clis) if (!File.Exists(c)) { Console.Error.WriteLine($"partition-cli bench: {c} not found (build src/GridMap.Cli -c Release)"); return 2; }
        var dir = Path.Combine(Path.GetTempPath(), "gm-partition-e2e");
        Directory.CreateDirectory(dir);

        var cases = new List<(string Name, string File, string Weight, int K, double Tol, string Crs, Func<UnitGraph> Graph)>();
        var precincts = Path.Combine(dir, "precinct-like-4120.geojson");
        if (!File.Exists(precincts))
            Write(precincts, PrecinctLikeTiling.Generate(4_120, 1), Crs.Local);
        cases.Add(("precinct-like tiling 4,120 → 67 ±2 %", precincts, "weight", 67, 0.02, "local",
            () => UnitGraphBuilder.Build(PrecinctLikeTiling.Generate(4_120, 1))));
        if (!args.Contains("--no-100k"))
        {
            var compounds = Path.Combine(dir, "compounds-100000.geojson");
            if (!File.Exists(compounds)) Write(compounds, SyntheticCompounds.Generate(100_000, 7).Units, Crs.GaussKruger114);
            cases.Add(("synthetic compounds 100,000 → 1,667 ±5 %", compounds, "weight", 1_667, 0.05, "EPSG:4547",
                () => UnitGraphBuilder.Build(SyntheticCompounds.Generate(100_000, 7).Units)));
        }
        var metis = !args.Contains("--no-metis") && File.Exists("/usr/bin/gpmetis");

        Console.WriteLine("| instance | build | seed | round | feasible | cells | mean PP | wall s | CPU s (user+sys) | peak MB | load avg (1 min) |");
        Console.WriteLine("|---|---|---:|---:|:---:|---:|---:|---:|---:|---:|---:|");
        var metisRows = new List<string>();
        foreach (var c in cases)
        {
            foreach (var seed in seeds)
                for (var round = 1; round <= rounds; round++)
                    foreach (var cli in clis)
                    {
                        var r = RunCli(cli, c.File, c.Weight, c.K, c.Tol, c.Crs, seed, dir);
                        Console.WriteLine(string.Create(Inv,
                            $"| {c.Name} | {Label(cli, clis)} | {seed} | {round} | {(r.Feasible ? "yes" : "**no**")} | {r.Cells} | {r.MeanPp:0.000} | {r.Wall:0.00} | {r.Cpu:0.00} | {r.PeakMb:0} | {Load()} |"));
                    }
            if (metis)
            {
                var g = c.Graph();
                var (lower, upper, target) = new CellPartitioner(new PartitionOptions { Cells = c.K, Tolerance = c.Tol }).Bounds(g);
                var file = PartitionBench.WriteMetisGraph(g);
                foreach (var seed in seeds)
                {
                    var (m, s) = PartitionBench.RunMetis(file, g, c.K, c.Tol, seed, lower, upper, target);
                    metisRows.Add(string.Create(Inv, $"| {c.Name} | {seed} | {(m is { IsFeasible: true } ? "yes" : "**no**")} | {m?.MeanPolsbyPopper.ToString("0.000", Inv) ?? "—"} | {s:0.00} |"));
                }
                File.Delete(file);
            }
        }
        if (metisRows.Count > 0)
        {
            Console.WriteLine("\ngpmetis -contig on the same graph (partitioning time it reports):\n");
            Console.WriteLine("| instance | seed | feasible | mean PP | gpmetis s |");
            Console.WriteLine("|---|---:|:---:|---:|---:|");
            foreach (var row in metisRows) Console.WriteLine(row);
        }
        Console.WriteLine(string.Create(Inv, $"\nMachine: {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
        return 0;
    }

    /// <summary>
    /// `bench partition-district [code] [seconds]`: the planner service's solve for a whole district of the demo in
    /// GRIDMAP_DB (default 410105 金水区, the planner's default request: 300–500 households, soft road barriers, the
    /// given time limit, default 10 s), as <see cref="GridMap.Application.Planning.PlanPartitioner.Solve"/> runs it:
    /// territories and graph, then the engine. Prints wall and CPU time of both, against the limit.
    /// </summary>
    public static int RunDistrict(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        if (string.IsNullOrEmpty(cs)) { Console.Error.WriteLine("partition-district bench: GRIDMAP_DB is not set (scripts/bench sets it)"); return 1; }
        var code = args.Length > 0 ? args[0] : "410105";
        var seconds = args.Length > 1 ? double.Parse(args[1], Inv) : 10;
        return RunDistrictAsync(cs, code, seconds).GetAwaiter().GetResult();
    }

    private static async Task<int> RunDistrictAsync(string cs, string code, double seconds)
    {
        await using var db = GridMap.Storage.GridMapDatabase.Create(cs);
        var areas = new GridMap.Storage.Planning.AreaQueries(db);
        var request = new GridMap.Application.Planning.PlanRequest(new GridMap.Application.Planning.PlanArea("district", code), timeLimitSeconds: seconds);
        var area = await GridMap.Application.Planning.PlanPartitioner.LoadAreaAsync(areas, request.Area, request.Barriers);
        var me = Process.GetCurrentProcess();
        var cpu0 = me.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var (graph, result) = GridMap.Application.Planning.PlanPartitioner.Solve(area, request.ToOptions(), request.Nest);
        var wall = sw.Elapsed.TotalSeconds;
        me.Refresh();
        var cpu = (me.TotalProcessorTime - cpu0).TotalSeconds;
        var adjacency = graph.BuildTimings.Values.Sum();
        Console.WriteLine("| district | compounds | time limit s | graph s | engine s (its own clock) | solve wall s | solve CPU s | limit reached | starts | feasible | cells | load avg |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|:---:|---:|:---:|---:|---:|");
        Console.WriteLine(string.Create(Inv,
            $"| {code} {area.Name} | {area.Compounds.Count:N0} | {seconds:0.#} | {adjacency:0.00} | {result.Elapsed.TotalSeconds:0.00} | {wall:0.00} | {cpu:0.00} | {(result.TimeLimitReached ? "yes" : "no")} | {result.Starts} | {(result.IsFeasible ? "yes" : $"no ({result.FailedConstraint})")} | {result.CellCount} | {Load()} |"));
        Console.WriteLine("\ngraph stages (s): " + string.Join(", ", graph.BuildTimings.Select(kv => string.Create(Inv, $"{kv.Key} {kv.Value:0.00}"))));
        return 0;
    }

    private static string Label(string cli, List<string> clis) => clis.Count == 1 ? "this" : ((char)('A' + clis.IndexOf(cli))).ToString();

    /// <summary>The 1-minute load average (the table's column).</summary>
    private static string Load() => BenchSupport.LoadAverage().Split(' ')[0];

    private static void Write(string path, List<PartitionUnit> units, Crs crs) =>
        FeatureFile.WriteGeoJson(path, units.Select(u => ((Geometry?)u.Geometry, (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = u.Id, ["weight"] = u.Weight })), crs);

    private sealed record CliRun(bool Feasible, int Cells, double MeanPp, double Wall, double Cpu, double PeakMb);

    private static CliRun RunCli(string cli, string units, string weight, int k, double tol, string crs, int seed, string dir)
    {
        var outFile = Path.Combine(dir, "out.geojson"); var report = Path.Combine(dir, "report.json"); var timeFile = Path.Combine(dir, "time.txt");
        File.Delete(report);
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "%e %U %S %M", "-o", timeFile, "dotnet", cli, "partition", "--units", units, "--weight", weight,
                     "--cells", k.ToString(Inv), "--tolerance", tol.ToString(Inv), "--crs", crs, "--seed", seed.ToString(Inv), "--time-limit", "60",
                     "--out", outFile, "--report", report, "--quiet" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var t = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ');
        double wall = double.Parse(t[0], Inv), cpu = double.Parse(t[1], Inv) + double.Parse(t[2], Inv), peak = double.Parse(t[3], Inv) / 1024;
        if (p.ExitCode != 0 || !File.Exists(report))
        {
            Console.Error.WriteLine($"gridmap partition exited {p.ExitCode}: {err.Trim()}");
            return new CliRun(false, 0, double.NaN, wall, cpu, peak);
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(report));
        return new CliRun(Find(doc.RootElement, "feasible")?.GetBoolean() ?? false, Find(doc.RootElement, "cells")?.GetInt32() ?? 0,
            Find(doc.RootElement, "mean_polsby_popper")?.GetDouble() ?? double.NaN, wall, cpu, peak);
    }

    /// <summary>The first property of that name, depth first, skipping arrays (the per-cell list has its own fields).</summary>
    private static JsonElement? Find(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in e.EnumerateObject())
            if (p.NameEquals(name) && p.Value.ValueKind != JsonValueKind.Array) return p.Value;
        foreach (var p in e.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Object && Find(p.Value, name) is { } hit) return hit;
        return null;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GridMap.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
