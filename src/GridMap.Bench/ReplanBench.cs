using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using static GridMap.Bench.BenchSupport;

namespace GridMap.Bench;

/// <summary>
/// `bench replan [--pipes N] [--samples K] [--no-node]`: re-plans with a broken valve on the synthetic city (100,000
/// pipes by default). For K sampled pipes a valve of the plan turns out broken; the re-plan is timed twice in the
/// same run, interleaved: A = rebuild the segment index with the valve inoperable (what re-plans did before issue 13),
/// B = derive it from the normal index (<see cref="SegmentIndex.WithInoperable"/>: segments and units merged across
/// the valve). Both plans must be identical. Then the crew's TypeScript engine (src/GridMap.Web/src/crew/isolation.ts,
/// run by node through isolationCheck.mjs) re-plans the same cases on the same network and must give the same plans.
/// </summary>
internal static class ReplanBench
{
    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        var pipeCount = IntArg(args, "--pipes", 100_000);
        var samples = IntArg(args, "--samples", 200);
        var warm = NetworkSyntheticCity.Generate(2_000);
        var warmGraph = NetworkBuilder.Build(warm.Input, NetworkSyntheticCity.Snap);
        var warmIndex = SegmentIndex.Build(warmGraph);
        foreach (var v in Enumerable.Range(0, Math.Min(50, warmGraph.Valves.Count)))
            new IsolationTracer(warmIndex.WithInoperable(new HashSet<int> { v })).Isolate(0);

        var city = NetworkSyntheticCity.Generate(pipeCount);
        var graph = NetworkBuilder.Build(city.Input, NetworkSyntheticCity.Snap);
        var normal = SegmentIndex.Build(graph);
        var tracer = new IsolationTracer(normal);
        var random = new Random(13);
        var full = new List<double>();
        var derived = new List<double>();
        var same = 0;
        var cases = new List<(int Pipe, int Valve, IsolationPlan Plan)>();
        var step = Math.Max(1, graph.Pipes.Count / samples);
        var cpuA = TimeSpan.Zero;
        var cpuB = TimeSpan.Zero;
        var proc = Process.GetCurrentProcess();
        for (var p = 0; p < graph.Pipes.Count && cases.Count < samples; p += step)
        {
            if (graph.Pipes[p].IsStationDevice) continue;
            var plan = tracer.Isolate(p);
            if (plan.ValvesToClose.Count == 0) continue;
            var valve = graph.ValveIndex(plan.ValvesToClose[random.Next(plan.ValvesToClose.Count)]);
            var set = new HashSet<int> { valve };
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var t = Stopwatch.GetTimestamp();
            var a = new IsolationTracer(new SegmentIndex(graph, set)).Isolate(p);
            full.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            proc.Refresh();
            var c1 = proc.TotalProcessorTime;
            t = Stopwatch.GetTimestamp();
            var b = new IsolationTracer(normal.WithInoperable(set)).Isolate(p);
            derived.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            proc.Refresh();
            cpuA += c1 - c0;
            cpuB += proc.TotalProcessorTime - c1;
            if (Describe(a) == Describe(b)) same++;
            cases.Add((p, valve, a));
        }

        var keep = Array.IndexOf(args, "--keep") is var ki and >= 0 && ki + 1 < args.Length ? args[ki + 1] : null;
        var nodeSummary = args.Contains("--no-node") ? null : RunNode(graph, cases, IntArg(args, "--rounds", 5), keep);
        string Ms(double ms) => ms.ToString("0.00", inv) + " ms";
        Console.WriteLine();
        Console.WriteLine($"### Re-plan with a broken valve: {graph.Pipes.Count:N0} pipes, {graph.Valves.Count:N0} valves, {normal.SegmentCount:N0} segments");
        Console.WriteLine();
        Console.WriteLine($"Load average at start of the table: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| re-plan (index for the broken valve + isolation) | median | p95 | CPU per re-plan | goal |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        Console.WriteLine($"| A: rebuild the segment index (before) | {Ms(Percentile(full, 0.5))} | {Ms(Percentile(full, 0.95))} | {Ms(cpuA.TotalMilliseconds / cases.Count)} | |");
        Console.WriteLine($"| B: derive it from the normal index (union-find over segments) | {Ms(Percentile(derived, 0.5))} | {Ms(Percentile(derived, 0.95))} | {Ms(cpuB.TotalMilliseconds / cases.Count)} | ≤ 5 ms |");
        if (nodeSummary is not null)
        {
            var ts = nodeSummary["median_replan_ms"]!.GetValue<double>();
            var cpu = nodeSummary["cpu_per_replan_ms"]?.GetValue<double>();
            Console.WriteLine($"| TypeScript engine (node {NodeVersion()}), derived, first pass (checked against C#) | {Ms(nodeSummary["first_pass_median_replan_ms"]!.GetValue<double>())} | | | |");
            Console.WriteLine($"| TypeScript engine, derived, {nodeSummary["rounds"]} more rounds (warm) | {Ms(ts)} | {Ms(nodeSummary["p95_replan_ms"]!.GetValue<double>())} | {(cpu is null ? "" : Ms(cpu.Value))} | ≤ 5 ms |");
            Console.WriteLine($"| TypeScript engine: index for the normal state (once per download) | {Ms(nodeSummary["index_build_ms"]!.GetValue<double>())} | | | |");
        }
        Console.WriteLine();
        Console.WriteLine($"{cases.Count} re-plans, A and B interleaved; identical plans A = B: {same} / {cases.Count}" +
            (nodeSummary is null ? "" : $"; TypeScript = C#: {cases.Count - nodeSummary["mismatches"]!.GetValue<int>()} / {cases.Count}"));
        var ok = same == cases.Count && Percentile(derived, 0.5) <= 5 && (nodeSummary is null || (nodeSummary["mismatches"]!.GetValue<int>() == 0 && nodeSummary["median_replan_ms"]!.GetValue<double>() <= 5));
        Console.WriteLine(ok ? "goal met: re-plan ≤ 5 ms (median), same plans" : "GOAL NOT MET (see table)");
        return ok ? 0 : 1;
    }

    private static string Describe(IsolationPlan p) => string.Join(" | ", string.Join(",", p.SegmentPipes), string.Join(",", p.ValvesToClose),
        string.Join(",", p.ValvesToCloseMin), string.Join(",", p.ValvesAlreadyClosed), string.Join(",", p.CutOffPipes), string.Join(",", p.AffectedConsumers), p.AffectedHouseholds);

    /// <summary>Writes the graph as a gridmap-topology/1 document (ids = index + 1) and the cases, runs isolationCheck.mjs.</summary>
    private static JsonObject? RunNode(NetworkGraph g, List<(int Pipe, int Valve, IsolationPlan Plan)> cases, int rounds, string? keep)
    {
        var pipeNo = Enumerable.Range(0, g.Pipes.Count).ToDictionary(i => g.Pipes[i].Id, i => (long)i + 1);
        var valveNo = Enumerable.Range(0, g.Valves.Count).ToDictionary(i => g.Valves[i].Id, i => (long)i + 1);
        var consumerNo = Enumerable.Range(0, g.Consumers.Count).ToDictionary(i => g.Consumers[i].Id, i => (long)i + 1);
        var edges = Enumerable.Range(0, g.EdgeCount).ToArray();
        var walkedEnd = new double[g.EdgeCount];
        for (var p = 0; p < g.Pipes.Count; p++)
        {
            var walked = 0.0;
            foreach (var e in g.EdgesOfPipe(p))
            {
                walked += g.EdgeLength(e);
                walkedEnd[e] = g.KindOfEdge(e) == EdgeKind.Piece ? walked : 0;
            }
        }
        JsonArray A<T>(IEnumerable<T> xs) => new(xs.Select(x => JsonValue.Create(x)).ToArray<JsonNode?>());
        var topology = new JsonObject
        {
            ["format"] = "gridmap-topology/1",
            ["version"] = 1,
            ["snap_tolerance_m"] = g.SnapTolerance,
            ["node_count"] = g.NodeCount,
            ["pipes"] = new JsonObject
            {
                ["id"] = A(Enumerable.Range(1, g.Pipes.Count)),
                ["closed"] = A(g.Pipes.Select(p => p.Status == OpenState.Closed ? 1 : 0)),
                ["device"] = A(g.Pipes.Select(p => p.IsStationDevice ? 1 : 0)),
            },
            ["edges"] = new JsonObject
            {
                ["kind"] = A(edges.Select(e => g.KindOfEdge(e) switch { EdgeKind.Piece => g.IsReportable(e) ? 0 : 1, EdgeKind.Valve => 2, _ => 3 })),
                ["from"] = A(edges.Select(g.From)),
                ["to"] = A(edges.Select(g.To)),
                ["pipe"] = A(edges.Select(e => g.KindOfEdge(e) == EdgeKind.Piece ? g.PipeOfEdge(e) : -1)),
                ["ref"] = A(edges.Select(g.ValveOfEdge)),
                ["length"] = A(edges.Select(e => g.KindOfEdge(e) == EdgeKind.Piece ? g.EdgeLength(e) : 0)),
                ["end"] = A(walkedEnd),
            },
            ["valves"] = new JsonObject
            {
                ["id"] = A(Enumerable.Range(1, g.Valves.Count)),
                ["closed"] = A(g.Valves.Select(v => v.State == OpenState.Closed ? 1 : 0)),
                ["operable"] = A(g.Valves.Select(v => v.Operable ? 1 : 0)),
                ["edge"] = A(Enumerable.Range(0, g.Valves.Count).Select(g.EdgeOfValve)),
                ["lon"] = A(g.Valves.Select(_ => 0.0)),
                ["lat"] = A(g.Valves.Select(_ => 0.0)),
            },
            ["sources"] = new JsonObject
            {
                ["id"] = A(g.Sources.Select(s => s.Id)),
                ["node"] = A(Enumerable.Range(0, g.Sources.Count).Select(g.NodeOfSource)),
            },
            ["consumers"] = new JsonObject
            {
                ["compound"] = A(Enumerable.Range(1, g.Consumers.Count)),
                ["return"] = A(g.Consumers.Select(_ => 0)),
                ["node"] = A(Enumerable.Range(0, g.Consumers.Count).Select(g.NodeOfConsumer)),
                ["households"] = A(g.Consumers.Select(c => c.Households)),
            },
            ["compounds"] = new JsonObject { ["id"] = new JsonArray(), ["name"] = new JsonArray(), ["households"] = new JsonArray() },
        };
        string D(IEnumerable<long> ids)
        {
            var list = ids.ToList();
            var h = 2166136261u;
            foreach (var ch in string.Join(",", list.Select(x => x.ToString(CultureInfo.InvariantCulture)))) h = unchecked((h ^ ch) * 16777619u);
            return $"{list.Count}:{h:x8}";
        }
        var array = new JsonArray();
        foreach (var (pipe, valve, plan) in cases)
            array.Add(new JsonObject
            {
                ["pipe"] = pipe + 1,
                ["inoperable"] = new JsonArray(valve + 1),
                ["plan"] = new JsonObject
                {
                    ["segment_pipes"] = D(plan.SegmentPipes.Select(x => pipeNo[x])),
                    ["valves_to_close"] = D(plan.ValvesToClose.Select(x => valveNo[x])),
                    ["valves_to_close_min"] = D(plan.ValvesToCloseMin.Select(x => valveNo[x])),
                    ["valves_already_closed"] = D(plan.ValvesAlreadyClosed.Select(x => valveNo[x])),
                    ["cut_off_pipes"] = D(plan.CutOffPipes.Select(x => pipeNo[x])),
                    ["affected_consumers"] = D(plan.AffectedConsumers.Select(x => consumerNo[x])),
                    ["affected_households"] = plan.AffectedHouseholds,
                },
            });
        // --keep FILE keeps the fixture (to profile the node run: node --cpu-prof src/crew/isolationCheck.mjs FILE --rounds N).
        var file = keep is not null ? Path.GetFullPath(keep) : Path.Combine(Path.GetTempPath(), $"gm-replan-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, new JsonObject { ["topology"] = topology, ["cases"] = array }.ToJsonString());
            var web = Path.Combine(RepoRoot(), "src", "GridMap.Web");
            var psi = new ProcessStartInfo("node", [Path.Combine("src", "crew", "isolationCheck.mjs"), file, "--rounds", rounds.ToString(CultureInfo.InvariantCulture)]) { WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true };
            using var node = Process.Start(psi)!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEnd();
            node.WaitForExit();
            var text = stdout.Result.Trim();
            Console.Error.WriteLine($"replan bench: isolationCheck.mjs: {text} {stderr}");
            return text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : null;
        }
        finally
        {
            if (keep is null) File.Delete(file);
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GridMap.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static string NodeVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", ["--version"]) { RedirectStandardOutput = true })!;
            var v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
        catch (System.ComponentModel.Win32Exception) { return "?"; }
    }
}
