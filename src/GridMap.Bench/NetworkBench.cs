using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using static GridMap.Bench.BenchSupport;
using System.Text.Json;
using GridMap.Domain.Network;

namespace GridMap.Bench;

/// <summary>
/// `bench network [--pipes N] [--sample-every K] [--no-reference]`: builds a deterministic synthetic city network
/// (<see cref="NetworkSyntheticCity"/>, 100,000 pipes by default), times graph build, segment index and the
/// isolation of every pipe, then runs the networkx reference (reference/networkx_network.py) on the same network
/// in the same run, checks that both give the same plans on the reference's sample, and prints a markdown table.
/// </summary>
internal static class NetworkBench
{
    public static int Run(string[] args)
    {
        var pipeCount = IntArg(args, "--pipes", 100_000);
        var every = IntArg(args, "--sample-every", 250);
        var withReference = !args.Contains("--no-reference");
        var inv = CultureInfo.InvariantCulture;

        // JIT warm-up on a small network so the timings below measure the algorithm, not the compiler.
        var warm = NetworkSyntheticCity.Generate(2_000);
        var warmGraph = NetworkBuilder.Build(warm.Input, NetworkSyntheticCity.Snap);
        var warmTracer = new IsolationTracer(SegmentIndex.Build(warmGraph));
        for (var i = 0; i < warmGraph.Pipes.Count; i++) warmTracer.Isolate(i);

        var city = NetworkSyntheticCity.Generate(pipeCount);
        var input = city.Input;
        Console.Error.WriteLine($"network bench: {input.Pipes.Count:N0} pipes, {input.Valves!.Count:N0} valves, {input.Consumers!.Count:N0} consumers, {input.Sources!.Count} sources");

        NetworkGraph graph = null!;
        SegmentIndex index = null!;
        var buildTimes = new List<double>();
        var indexTimes = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var sw = Stopwatch.StartNew();
            graph = NetworkBuilder.Build(input, NetworkSyntheticCity.Snap);
            buildTimes.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            index = SegmentIndex.Build(graph);
            indexTimes.Add(sw.Elapsed.TotalSeconds);
        }
        if (graph.BuildFindings.Count > 0)
        {
            Console.Error.WriteLine($"network bench: unexpected build findings, first: {graph.BuildFindings[0]}");
            return 1;
        }

        var tracer = new IsolationTracer(index);
        var iso = new double[graph.Pipes.Count];
        // Only the plans the reference also computes are kept: holding 100,000 plans would turn the timing of the
        // tail into a measurement of the garbage collector's old generation.
        var plans = new Dictionary<int, IsolationPlan>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < graph.Pipes.Count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var plan = tracer.Isolate(i);
            iso[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (i % every == 0) plans[i] = plan;
        }
        var isoTotal = total.Elapsed.TotalSeconds;
        var isoCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var gcs = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
        // Is the slowest isolation slow by itself, or was it descheduled / paused? Time it again alone.
        var slowest = Array.IndexOf(iso, iso.Max());
        var alone = double.PositiveInfinity;
        for (var k = 0; k < 5; k++)
        {
            var t = Stopwatch.GetTimestamp();
            tracer.Isolate(slowest);
            alone = Math.Min(alone, Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        Reference? reference = null;
        string agreement = "—";
        if (withReference)
        {
            reference = RunReference(city, graph, every);
            if (reference is null) return 1;
            var agree = 0;
            var firstMismatch = "";
            foreach (var r in reference.Results)
            {
                var p = plans[graph.PipeIndex(r.Pipe)];
                var same = p.ValvesToClose.Order(StringComparer.Ordinal).SequenceEqual(r.ValvesToClose)
                    && p.ValvesToCloseMin.Order(StringComparer.Ordinal).SequenceEqual(r.ValvesToCloseMin)
                    && p.ValvesAlreadyClosed.Order(StringComparer.Ordinal).SequenceEqual(r.ValvesAlreadyClosed)
                    && p.CutOffPipes.Count == r.CutOffPipes
                    && p.AffectedHouseholds == r.AffectedHouseholds;
                if (same) agree++;
                else if (firstMismatch.Length == 0) firstMismatch = r.Pipe;
            }
            agreement = $"{agree:N0} / {reference.Results.Count:N0} sampled plans identical" + (firstMismatch.Length > 0 ? $" (first difference: pipe {firstMismatch})" : "");
            if (agree != reference.Results.Count) Console.Error.WriteLine($"network bench: plans differ from networkx: {agreement}");
        }

        double Median(IEnumerable<double> xs) => Percentile(xs, 0.5);
        string S(double s) => s.ToString("0.000", inv) + " s";
        string Ms(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", inv) + " ms";
        string Ratio(double ours, double theirs) => theirs > 0 && ours > 0 ? (theirs / ours).ToString("0.0", inv) + "×" : "—";

        var isoMed = Median(iso);
        var isoP95 = Percentile(iso, 0.95);
        var isoMax = iso.Max();
        Console.WriteLine();
        Console.WriteLine($"### Network topology: {graph.Pipes.Count:N0} pipes, {graph.Valves.Count:N0} valves, {index.SegmentCount:N0} segments, {graph.Consumers.Count:N0} consumers");
        Console.WriteLine();
        Console.WriteLine($"| measure | GridMap (C#) | networkx {(reference?.Version ?? "n/a")} (Python) | networkx / GridMap | goal |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var rb = reference?.BuildS ?? 0;
        var ri = reference?.IndexS ?? 0;
        Console.WriteLine($"| graph build (snap ends, place valves, cut pipes), median of 3 | {S(Median(buildTimes))} | {(reference is null ? "—" : S(rb))} | {Ratio(Median(buildTimes), rb)} | ≤ 2 s |");
        Console.WriteLine($"| segment index (segments, supply units, baseline supply), median of 3 | {S(Median(indexTimes))} | {(reference is null ? "—" : S(ri))} | {Ratio(Median(indexTimes), ri)} | |");
        Console.WriteLine($"| build + index | {S(Median(buildTimes) + Median(indexTimes))} | {(reference is null ? "—" : S(rb + ri))} | {Ratio(Median(buildTimes) + Median(indexTimes), rb + ri)} | ≤ 2 s |");
        var refIso = reference?.IsolationMs ?? [];
        string RefMs(Func<IEnumerable<double>, double> f) => refIso.Count == 0 ? "—" : Ms(f(refIso));
        Console.WriteLine($"| one isolation, median | {Ms(isoMed)} | {RefMs(Median)} | {(refIso.Count == 0 ? "—" : Ratio(isoMed, Median(refIso)))} | ≤ 5 ms |");
        Console.WriteLine($"| one isolation, p95 | {Ms(isoP95)} | {RefMs(x => Percentile(x, 0.95))} | {(refIso.Count == 0 ? "—" : Ratio(isoP95, Percentile(refIso, 0.95)))} | |");
        Console.WriteLine($"| one isolation, max | {Ms(isoMax)} | {RefMs(x => x.Max())} | {(refIso.Count == 0 ? "—" : Ratio(isoMax, refIso.Max()))} | |");
        Console.WriteLine($"| slowest isolation timed again alone (best of 5) | {Ms(alone)} (pipe {graph.Pipes[slowest].Id}) | | | |");
        Console.WriteLine($"| isolations timed | every pipe: {iso.Length:N0} in {S(isoTotal)} wall, {S(isoCpu)} CPU; GCs gen0/1/2: {gcs.Item1}/{gcs.Item2}/{gcs.Item3} | every {every}th pipe: {refIso.Count:N0} | | |");
        Console.WriteLine($"| same plans (valves to close, minimal set, already closed, cut-off pipe count, households) | {agreement} | | | |");
        Console.WriteLine();
        var ok = Median(buildTimes) <= 2 && isoMed <= 5;
        Console.WriteLine(ok ? "goals met: build ≤ 2 s, median isolation ≤ 5 ms" : "GOALS NOT MET (see table)");
        return 0;
    }

    private sealed record ReferencePlan(string Pipe, string[] ValvesToClose, string[] ValvesToCloseMin, string[] ValvesAlreadyClosed, int CutOffPipes, long AffectedHouseholds);

    private sealed record Reference(string Version, double BuildS, double IndexS, List<double> IsolationMs, List<ReferencePlan> Results);

    private static string ScriptPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source) ?? ".", "reference", "networkx_network.py");

    private static Reference? RunReference(NetworkSyntheticCity city, NetworkGraph graph, int every)
    {
        var dir = Directory.CreateTempSubdirectory("gm-network-bench-").FullName;
        try
        {
            var tsv = Path.Combine(dir, "network.tsv");
            var json = Path.Combine(dir, "networkx.json");
            city.WriteTsv(tsv, graph);
            var script = ScriptPath();
            if (!File.Exists(script))
            {
                Console.Error.WriteLine($"network bench: reference script not found: {script}");
                return null;
            }
            Console.Error.WriteLine("network bench: running the networkx reference (/usr/bin/python3)…");
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
            foreach (var a in new[] { script, tsv, NetworkSyntheticCity.Snap.ToString(CultureInfo.InvariantCulture), every.ToString(CultureInfo.InvariantCulture), json })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.Error.WriteLine($"network bench: networkx reference failed ({p.ExitCode}): {err}");
                return null;
            }
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var r = doc.RootElement;
            string[] Arr(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
            return new Reference(
                r.GetProperty("networkx").GetString()!,
                r.GetProperty("build_s").GetDouble(),
                r.GetProperty("index_s").GetDouble(),
                r.GetProperty("isolation_s").EnumerateArray().Select(x => x.GetDouble() * 1000).ToList(),
                r.GetProperty("results").EnumerateArray().Select(x => new ReferencePlan(
                    x.GetProperty("pipe").GetString()!,
                    Arr(x.GetProperty("valves_to_close")),
                    Arr(x.GetProperty("valves_to_close_min")),
                    Arr(x.GetProperty("valves_already_closed")),
                    x.GetProperty("cut_off_pipes").GetInt32(),
                    x.GetProperty("affected_households").GetInt64())).ToList());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
