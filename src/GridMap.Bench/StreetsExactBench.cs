using System.Diagnostics;
using System.Globalization;
using GridMap.Application.Planning;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Exact;
using GridMap.Storage;
using GridMap.Storage.Planning;

namespace GridMap.Bench;

/// <summary>
/// `scripts/bench streets exact [seconds per solve, default 60] [max streets] [street code]`: on every demo street, the planner's
/// default request (300–500 households, soft barriers) by the heuristic (its default 10 s) and by exact mode
/// (<see cref="ExactPartitioner"/>, every street of ≤ 150 compounds, the heuristic's plan as its start): found / proved
/// impossible / unknown, the compactness of both plans on exact mode's measure (households-weighted mean distance to the
/// cell's centre compound, m) and mean Polsby-Popper, wall and CPU seconds. Needs GRIDMAP_DB with the demo.
/// </summary>
internal static class StreetsExactBench
{
    public static int Run(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        if (string.IsNullOrEmpty(cs)) { Console.Error.WriteLine("streets bench: GRIDMAP_DB is not set (scripts/bench sets it)"); return 1; }
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var most = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : int.MaxValue;
        var only = args.Length > 2 ? args[2] : null;
        return RunAsync(cs, seconds, most, only).GetAwaiter().GetResult();
    }

    /// <summary>Exact mode's measure of a plan: households-weighted mean distance from each unit to its cell's best centre
    /// unit (the member minimising the sum), metres.</summary>
    private static double MeanDistance(UnitGraph g, IReadOnlyList<int> cell)
    {
        double num = 0, den = 0;
        foreach (var members in Enumerable.Range(0, g.Count).Where(u => cell[u] >= 0).GroupBy(u => cell[u]))
        {
            var list = members.ToList();
            num += list.Min(c => list.Sum(u => g.Weights[u] * Math.Sqrt((g.X[u] - g.X[c]) * (g.X[u] - g.X[c]) + (g.Y[u] - g.Y[c]) * (g.Y[u] - g.Y[c]))));
            den += list.Sum(u => g.Weights[u]);
        }
        return den > 0 ? num / den : 0;
    }

    private static async Task<int> RunAsync(string cs, double seconds, int most, string? only)
    {
        await using var db = GridMapDatabase.Create(cs);
        var areas = new AreaQueries(db);
        var codes = (await areas.ListAsync("street", null)).Select(a => a.Code).Where(c => only is null || c == only).Take(most).ToList();
        var loadBefore = BenchSupport.LoadAverage();
        var counts = new Dictionary<string, int>();
        int small = 0, heuristicFound = 0, heuristicMissedSmall = 0, both = 0, exactOnly = 0, unknownSmall = 0;
        var ratios = new List<(string Street, double Ratio)>();
        var ratios0 = new List<double>();
        var ppPairs = new List<(double Unpolished, double Polished)>();
        double exactCpu = 0, exactWall = 0;
        int windowsChecked = 0, windowsVerified = 0;
        Console.WriteLine($"Exact mode vs heuristic, 300–500 households per cell, soft barriers; exact: {seconds:0} s per solve, {Environment.ProcessorCount} workers");
        Console.WriteLine();
        Console.WriteLine("| street | compounds | households | heuristic | exact | heuristic m | exact m | heuristic PP | exact PP | unpolished m | unpolished PP | gap | smallest window (✓ re-solved: admits a plan) | heuristic s | exact s | exact CPU s |");
        Console.WriteLine("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        var proc = Process.GetCurrentProcess();
        foreach (var code in codes)
        {
            var area = await PlanPartitioner.LoadAreaAsync(areas, new PlanArea("street", code), barriers: true);
            var options = new PartitionOptions
            {
                MinWeight = PlanRequest.DefaultMin, MaxWeight = PlanRequest.DefaultMax, Barriers = BarrierMode.Soft, TimeLimit = TimeSpan.FromSeconds(10),
            };
            var (graph, h) = PlanPartitioner.Solve(area, options, nest: false);
            // A/B in the same run: the heuristic without its p-median polish (Polsby-Popper only), as before issue 12's goal.
            var (_, h0) = PlanPartitioner.Solve(area, new PartitionOptions
            {
                MinWeight = options.MinWeight, MaxWeight = options.MaxWeight, Barriers = options.Barriers, TimeLimit = options.TimeLimit, PMedianPolish = false,
            }, nest: false);
            var h0m = h0.IsFeasible ? MeanDistance(graph, h0.Assignment) : (double?)null;
            if (h0.IsFeasible && h.IsFeasible) ppPairs.Add((h0.Evaluation!.MeanPolsbyPopper, h.Evaluation!.MeanPolsbyPopper));
            heuristicFound += h.IsFeasible ? 1 : 0;
            var hMark = h.IsFeasible ? $"✓ {h.CellCount}" : "✗";
            if (graph.Count > ExactPartitioner.MaxUnits)
            {
                Console.WriteLine($"| {code} {area.Name} | {graph.Count} | {area.Compounds.Sum(c => c.Households)} | {hMark} | (> {ExactPartitioner.MaxUnits}) | | | {h.Evaluation?.MeanPolsbyPopper:0.000} | | {h0m:0.0} | {(h0.IsFeasible ? h0.Evaluation?.MeanPolsbyPopper : null):0.000} | | | {h.Elapsed.TotalSeconds:0.0} | | |");
                continue;
            }
            small++;
            if (!h.IsFeasible) heuristicMissedSmall++;
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var exact = new ExactPartitioner(options) { TimeLimit = TimeSpan.FromSeconds(seconds) }.Run(graph, h);
            proc.Refresh();
            var cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
            exactCpu += cpu; exactWall += exact.Seconds;
            counts[exact.StatusName] = counts.GetValueOrDefault(exact.StatusName) + 1;
            if (exact.Status == ExactStatus.Unknown) unknownSmall++;
            var found = exact.Plan is not null;
            if (found && h.IsFeasible)
            {
                both++;
                ratios.Add(($"{code} {area.Name}", h.IsFeasible && exact.Objective > 0 ? exact.HeuristicObjective!.Value / exact.Objective!.Value - 1 : 0));
                if (h0m is { } m0) ratios0.Add(exact.Objective > 0 ? m0 / exact.Objective!.Value - 1 : 0);
            }
            if (found && !h.IsFeasible) exactOnly++;
            var eMark = exact.StatusName + (exact.Plan is { } p ? $" {p.CellCount}" : "");
            var window = "";
            if (exact.SmallestWindow is { } w)
            {
                // Check the claim independently: exact mode asked for the widened window must find a plan in it.
                var wider = new ExactPartitioner(new PartitionOptions { MinWeight = w.MinHouseholds, MaxWeight = w.MaxHouseholds, Barriers = BarrierMode.Soft })
                    { TimeLimit = TimeSpan.FromSeconds(seconds) }.Run(graph, h);
                var verified = wider.Plan is { IsFeasible: true };
                windowsChecked++; windowsVerified += verified ? 1 : 0;
                window = $"{w.MinHouseholds:0}–{w.MaxHouseholds:0}{(exact.SmallestWindowProved ? "" : " (not proved smallest)")} {(verified ? "✓" : $"✗ {wider.StatusName}")}";
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {code} {area.Name} | {graph.Count} | {area.Compounds.Sum(c => c.Households)} | {hMark} | {eMark} | {exact.HeuristicObjective:0.0} | {exact.Objective:0.0} | " +
                $"{h.Evaluation?.MeanPolsbyPopper:0.000} | {exact.Plan?.Evaluation?.MeanPolsbyPopper:0.000} | {h0m:0.0} | {(h0.IsFeasible ? h0.Evaluation?.MeanPolsbyPopper : null):0.000} | {(exact.Gap is { } g ? g.ToString("P1", CultureInfo.InvariantCulture) : "")} | {window} | " +
                $"{h.Elapsed.TotalSeconds:0.0} | {exact.Seconds:0.0} | {cpu:0.0} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"streets: {codes.Count}; ≤ {ExactPartitioner.MaxUnits} compounds: {small}; heuristic found a plan in the window: {heuristicFound} " +
            $"(missed on {heuristicMissedSmall} small streets)");
        Console.WriteLine($"exact on the small streets: {string.Join(", ", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}; unknown: {unknownSmall}; " +
            $"plan found by exact where the heuristic missed: {exactOnly}; smallest windows re-solved with exact mode and found to admit a plan: {windowsVerified} of {windowsChecked}");
        if (ratios.Count > 0)
        {
            var worst = ratios.MaxBy(r => r.Ratio);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"both found ({both} streets): heuristic objective vs exact: mean {ratios.Average(r => r.Ratio):+0.0%;-0.0%}, worst {worst.Ratio:+0.0%;-0.0%} ({worst.Street}); within 2%: {ratios.Count(r => r.Ratio <= 0.02)} of {ratios.Count}"));
        }
        if (ratios0.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"same streets, heuristic without the p-median polish: mean {ratios0.Average():+0.0%;-0.0%}, worst {ratios0.Max():+0.0%;-0.0%}; within 2%: {ratios0.Count(r => r <= 0.02)} of {ratios0.Count}"));
        if (ppPairs.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean Polsby-Popper where both heuristic runs found a plan ({ppPairs.Count} streets): without polish {ppPairs.Average(p => p.Unpolished):0.000}, with polish {ppPairs.Average(p => p.Polished):0.000}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact total: {exactWall:0.0} s wall, {exactCpu:0.0} s CPU; load average before {loadBefore}, after {BenchSupport.LoadAverage()}"));
        return 0;
    }
}
