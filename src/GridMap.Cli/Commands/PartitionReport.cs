using System.Text.Json;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Exact;
using GridMap.Storage.Planning;

namespace GridMap.Cli.Commands;

/// <summary>The `--report` JSON of `gridmap partition`: per cell weight, deviation, Polsby-Popper, unit count,
/// contiguity; totals; runtime; exact mode's answer (<c>"exact"</c>, the API's <see cref="PlanExact"/> shape; null without --exact).</summary>
internal static class PartitionReport
{
    private static readonly JsonSerializerOptions ExactJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, UnitGraph graph, PartitionResult result, PartitionOptions options,
        PartitionCommand.PartitionArguments args, string metricCrs, TimeSpan runtime, ExactResult? exact = null)
    {
        var ev = result.Evaluation;
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteBoolean("feasible", result.IsFeasible);
        w.WriteString("objective", options.Objective == PartitionObjective.CutEdges ? "cut-edges" : "compact");
        w.WriteString("units_file", args.Units.FullName);
        w.WriteString("weight", args.Weight);
        w.WriteNumber("seed", options.Seed);
        if (options.IsWindow) { w.WriteNumber("min", options.MinWeight!.Value); w.WriteNumber("max", options.MaxWeight!.Value); }
        else w.WriteNumber("tolerance", options.Tolerance);
        if (args.NestBy is not null) w.WriteString("nest_by", args.NestBy);
        w.WriteString("metric_crs", metricCrs);
        w.WriteStartArray("cells");
        foreach (var c in ev?.Cells ?? [])
        {
            w.WriteStartObject();
            w.WriteNumber("cell", c.Cell);
            w.WriteNumber("weight", c.Weight);
            w.WriteNumber("deviation", Math.Round(c.Deviation, 6));
            w.WriteNumber("polsby_popper", Math.Round(c.PolsbyPopper, 6));
            w.WriteNumber("units", c.UnitCount);
            w.WriteBoolean("contiguous", c.Contiguous);
            w.WriteBoolean("oversize", c.Oversize);
            w.WriteBoolean("undersize", c.Undersize);
            w.WriteNumber("area_m2", Math.Round(c.Area, 1));
            w.WriteNumber("perimeter_m", Math.Round(c.Perimeter, 1));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("totals");
        w.WriteNumber("units", graph.Count);
        w.WriteNumber("cells", result.CellCount);
        w.WriteNumber("weight", graph.TotalWeight);
        if (ev is not null)
        {
            w.WriteNumber("target", ev.Target);
            w.WriteNumber("lower_bound", ev.LowerBound);
            w.WriteNumber("upper_bound", ev.UpperBound);
            w.WriteNumber("max_abs_deviation", Math.Round(ev.MaxDeviation, 6));
            w.WriteNumber("mean_polsby_popper", Math.Round(ev.MeanPolsbyPopper, 6));
            w.WriteNumber("cut_edges", ev.CutEdges);
            w.WriteBoolean("all_contiguous", ev.AllContiguous);
        }
        w.WriteNumber("adjacency_edges", graph.EdgeCount);
        w.WriteNumber("barrier_cut_edges", graph.GeometricEdgeCount - graph.EdgeCount);
        w.WriteBoolean("tessellated", graph.IsTessellated);
        w.WriteNumber("oversize_cells", ev?.OversizeCells ?? 0);
        w.WriteNumber("undersize_cells", ev?.UndersizeCells ?? 0);
        w.WriteEndObject();
        w.WriteString("barrier_mode", options.Barriers == BarrierMode.Soft ? "soft" : "hard");
        // The exceptions a feasible plan may carry (window mode, soft barriers): see PartitionResult.
        w.WritePropertyName("oversize_cells");
        JsonSerializer.Serialize(w, result.OversizeCells.Select(o => new { cell = o.Cell, unit = o.UnitId, unit_weight = o.UnitWeight, cell_weight = o.CellWeight, attached_units = o.AttachedUnits }));
        w.WritePropertyName("undersize_cells");
        JsonSerializer.Serialize(w, result.UndersizeCells.Select(u => new { cell = u.Cell, units = u.Units, weight = u.Weight }));
        w.WritePropertyName("barrier_crossings");
        JsonSerializer.Serialize(w, result.BarrierCrossings.Select(c => new { a = c.UnitA, b = c.UnitB, shared_length_m = Math.Round(c.SharedLength, 1) }));
        w.WritePropertyName("warnings");
        JsonSerializer.Serialize(w, result.Warnings);
        w.WriteNumber("runtime_seconds", Math.Round(runtime.TotalSeconds, 3));
        w.WriteNumber("search_seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteBoolean("time_limit_reached", result.TimeLimitReached);
        w.WriteNumber("starts", result.Starts);
        w.WritePropertyName("exact");
        JsonSerializer.Serialize(w, exact is null ? null : PlanExact.From(exact), ExactJson);
        w.WriteEndObject();
    }
}
