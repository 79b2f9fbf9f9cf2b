using System.Globalization;
using GridMap.Domain.Partitioning;
using GridMap.Storage;
using GridMap.Application.Planning;
using GridMap.Storage.Planning;

namespace GridMap.Bench;

/// <summary>
/// How often the planner's default request (300–500 households per cell, barriers on) gives a plan, street by
/// street on the demo city in GRIDMAP_DB — the same area, compounds, roads and graph as the planner service
/// (<see cref="PlanPartitioner.Solve"/>). Modes: "before" — hard barriers, a compound over the maximum fails the
/// street (the engine before exception cells: a hard-barrier plan without oversize or undersize cells comes from the
/// very same code); "hard" — hard barriers with oversize/undersize cells; "soft" — soft barriers with them (the
/// planner's default now). Args: [time limit in seconds, default 10] [max streets, default all]
/// [no-roads: load no arterial roads, to tell what barriers cost from what the window itself costs].
/// </summary>
internal static class StreetsBench
{
    public static int Run(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        if (string.IsNullOrEmpty(cs)) { Console.Error.WriteLine("streets bench: GRIDMAP_DB is not set (scripts/bench sets it)"); return 1; }
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var most = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : int.MaxValue;
        var roads = args.Length <= 2 || args[2] != "no-roads";
        return RunAsync(cs, seconds, most, roads).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string cs, double seconds, int most, bool roads)
    {
        await using var db = GridMapDatabase.Create(cs);
        var areas = new AreaQueries(db);
        var codes = (await areas.ListAsync("street", null)).Select(a => a.Code).Take(most).ToList();
        int before = 0, hard = 0, soft = 0, bestEffort = 0, outside = 0, bestEffortCells = 0, withOversize = 0, withCrossings = 0, crossings = 0, oversizeCells = 0, undersizeCells = 0;
        var failures = new List<string>();
        Console.WriteLine($"| street | compounds | households | before | hard + exception cells | soft + exception cells | oversize cells | undersize cells | crossings |");
        Console.WriteLine("|---|---:|---:|---|---|---|---:|---:|---:|");
        foreach (var code in codes)
        {
            var area = await PlanPartitioner.LoadAreaAsync(areas, new PlanArea("street", code), barriers: roads);
            PartitionOptions Options(BarrierMode m) => new() { MinWeight = PlanRequest.DefaultMin, MaxWeight = PlanRequest.DefaultMax, Barriers = m, TimeLimit = TimeSpan.FromSeconds(seconds) };
            var (_, h) = PlanPartitioner.Solve(area, Options(BarrierMode.Hard), nest: false);
            var (_, s) = PlanPartitioner.Solve(area, Options(BarrierMode.Soft), nest: false);
            // Hard barriers without an oversize or undersize cell run exactly the code the engine had before them.
            var b = h.IsFeasible && h.OversizeCells.Count == 0 && h.UndersizeCells.Count == 0;
            before += b ? 1 : 0; hard += h.IsFeasible ? 1 : 0; soft += s.IsFeasible ? 1 : 0;
            withOversize += s.OversizeCells.Count > 0 ? 1 : 0; oversizeCells += s.OversizeCells.Count; undersizeCells += s.UndersizeCells.Count;
            withCrossings += s.BarrierCrossings.Count > 0 ? 1 : 0; crossings += s.BarrierCrossings.Count;
            if (!s.IsFeasible) failures.Add($"{code} {area.Name}: {s.Message}");
            // The planner saves a best-effort preview when only balance failed (PlanPartitioner.PartitionAsync).
            if (!s.IsFeasible && s.FailedConstraint == PartitionConstraint.Balance && s.Evaluation is { AllContiguous: true, UnassignedUnits: 0 } ev)
            {
                bestEffort++; bestEffortCells += s.CellCount;
                outside += ev.Cells.Count(c => !c.Oversize && !c.Undersize && (c.Weight < ev.LowerBound - 1e-9 || c.Weight > ev.UpperBound + 1e-9));
            }
            static string Mark(PartitionResult r) => r.IsFeasible ? $"✓ {r.CellCount} cells" : $"✗ {r.FailedConstraint}";
            Console.WriteLine($"| {code} {area.Name} | {area.Compounds.Count} | {area.Compounds.Sum(c => c.Households)} | {(b ? "✓" : "✗")} | {Mark(h)} | {Mark(s)} | {s.OversizeCells.Count} | {s.UndersizeCells.Count} | {s.BarrierCrossings.Count} |");
        }
        Console.WriteLine();
        Console.WriteLine($"streets: {codes.Count}; feasible before: {before}; hard barriers + oversize/undersize cells: {hard}; soft barriers + oversize/undersize cells (planner default): {soft}");
        Console.WriteLine($"streets with oversize cells: {withOversize} ({oversizeCells} cells); undersize cells: {undersizeCells}; streets with barrier crossings: {withCrossings} ({crossings} crossings)");
        Console.WriteLine($"soft: best-effort previews (only balance failed, every cell contiguous): {bestEffort} streets, {outside} of their {bestEffortCells} cells outside the window; no preview at all: {codes.Count - soft - bestEffort}");
        foreach (var f in failures) Console.WriteLine($"still infeasible: {f}");
        return 0;
    }
}
