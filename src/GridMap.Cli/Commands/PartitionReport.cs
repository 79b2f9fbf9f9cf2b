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
        // Written by hand, not by JsonSerializer: its first use builds reflection metadata for each type (50–100 ms of a
        // 1.5 s run on 4,120 units); the bytes are the same (the writer's encoder escapes either way).
        w.WriteStartArray("oversize_cells");
        foreach (var o in result.OversizeCells)
        {
            w.WriteStartObject();
            w.WriteNumber("cell", o.Cell);
            w.WriteString("unit", o.UnitId);
            w.WriteNumber("unit_weight", o.UnitWeight);
            w.WriteNumber("cell_weight", o.CellWeight);
            Strings("attached_units", o.AttachedUnits);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("undersize_cells");
        foreach (var u in result.UndersizeCells)
        {
            w.WriteStartObject();
            w.WriteNumber("cell", u.Cell);
            Strings("units", u.Units);
            w.WriteNumber("weight", u.Weight);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("barrier_crossings");
        foreach (var c in result.BarrierCrossings)
        {
            w.WriteStartObject();
            w.WriteString("a", c.UnitA);
            w.WriteString("b", c.UnitB);
            w.WriteNumber("shared_length_m", Math.Round(c.SharedLength, 1));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Strings("warnings", result.Warnings);
        w.WriteNumber("runtime_seconds", Math.Round(runtime.TotalSeconds, 3));
        w.WriteNumber("search_seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteBoolean("time_limit_reached", result.TimeLimitReached);
        w.WriteNumber("starts", result.Starts);
        w.WritePropertyName("exact");
        if (exact is null) w.WriteNullValue();
        else JsonSerializer.Serialize(w, PlanExact.From(exact), ExactJson);
        w.WriteEndObject();

        void Strings(string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
    }
}
