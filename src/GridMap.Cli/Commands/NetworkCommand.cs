using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GridMap.Application.Network;
using GridMap.Domain.Geo;
using GridMap.Domain.Network;
using GridMap.Domain.Rules;

namespace GridMap.Cli.Commands;

/// <summary>
/// `gridmap network segments|isolate|check` — valve segments, isolation plans and data checks on pipe files,
/// without a database. Output is JSON on stdout or in --out. `isolate` orders the valves as the API does
/// (<see cref="CrewIsolation"/>).
/// </summary>
internal static class NetworkCommand
{
    private sealed class Options
    {
        public readonly Option<FileInfo> Pipes = new("--pipes") { Description = "管道 GeoJSON: LineStrings with id, optional status (open|closed), kind (pipe|pump|station|…), level (primary|secondary|building)", Required = true };
        public readonly Option<FileInfo?> Valves = new("--valves") { Description = "阀门 GeoJSON: Points with id, optional state (open|closed), operable (true|false), pipe (id of the pipe it sits on)" };
        public readonly Option<FileInfo?> Sources = new("--sources") { Description = "热源 GeoJSON: Points with id" };
        public readonly Option<FileInfo?> Consumers = new("--consumers") { Description = "用户/小区 GeoJSON: Points with id, optional households" };
        public readonly Option<string?> Crs = new("--crs") { Description = "Coordinate system of the inputs when the files do not say (EPSG:n, or 'local' for planar units with no CRS); default: the file's crs member, else WGS84" };
        public readonly Option<double> Snap = new("--snap") { Description = "Snap tolerance: pipe ends, valves, sources and consumers this close are joined (metres; map units for local data)", DefaultValueFactory = _ => 0.5 };
        public readonly Option<string?> Inoperable = new("--inoperable") { Description = "Valve ids that cannot be closed (broken or inaccessible), comma-separated: ID,ID" };
        public readonly Option<FileInfo?> Out = new("--out") { Description = "Write the JSON here instead of stdout (written whole, or not at all)" };

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Pipes, Valves, Sources, Consumers, Crs, Snap, Inoperable, Out }) c.Options.Add(o);
        }
    }

    public static Command Create()
    {
        var cmd = new Command("network", "管网拓扑：阀门分段、关阀方案、数据检查 (network topology: valve segments, isolation plans, data checks)");

        var segOpts = new Options();
        var segments = new Command("segments", "列出阀门分段 (list the segments that operable valves cut the network into, with their boundary valves)");
        segOpts.AddTo(segments);
        segments.SetAction(p => Run(p, segOpts, "segments", (graph, _) =>
        {
            var index = SegmentIndex.Build(graph, InoperableIds(p, segOpts, graph));
            return w =>
            {
                w.WriteStartArray("segments");
                foreach (var s in index.Segments())
                {
                    w.WriteStartObject();
                    WriteArray(w, "pipes", s.Pipes);
                    WriteArray(w, "valves", s.Valves);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            };
        }));

        var isoOpts = new Options();
        var pipe = new Option<string>("--pipe") { Description = "Id of the pipe to isolate (burst or work site)", Required = true };
        var at = new Option<string?>("--at")
        {
            Description = "爆管位置 (burst position) X,Y in the pipes' coordinates (lon,lat for WGS84 input): isolates the segment holding the point of the pipe "
                + "nearest it and adds burst and valve_steps (order, id, location, distance_m, required). Without it the burst is the pipe's middle. "
                + "Either way valves_to_close lists the required valves first (the sources' water would come back through them), then the optional ones, each nearest the burst first, as GET /api/network/isolate lists them",
        };
        var isolate = new Command("isolate", "关阀方案：需关阀门（必须关闭的在前，再按距爆管远近排序）、停热管段、受影响小区与户数 (isolation plan: valves to close, required first, then in walking order, pipes and consumers cut off, households)");
        isoOpts.AddTo(isolate);
        isolate.Options.Add(pipe);
        isolate.Options.Add(at);
        isolate.SetAction(p => Run(p, isoOpts, "isolate", (graph, reader) =>
        {
            var id = p.GetValue(pipe)!;
            if (!graph.TryGetPipeIndex(id, out var index))
                throw new NetworkInputException($"--pipe: unknown pipe id '{id}' (not in {p.GetValue(isoOpts.Pipes)!.Name}).");
            if (graph.Pipes[index].IsStationDevice)
                throw new NetworkInputException($"--pipe: '{id}' is a station device, not a pipe.");
            var near = p.GetValue(at) is { } atText && ParsePosition(atText, "--at") is var (ax, ay) ? reader.FromPipesCrs(ax, ay) : null;
            // The crew's valve order, shared with the API (GridMap.Application.Network.CrewIsolation).
            var (plan, burst, valves) = CrewIsolation.Isolate(new IsolationTracer(SegmentIndex.Build(graph, InoperableIds(p, isoOpts, graph))), index, near);
            return w =>
            {
                w.WriteString("pipe", plan.Pipe);
                WriteArray(w, "segment_pipes", plan.SegmentPipes);
                WriteArray(w, "valves_to_close", valves.Select(v => v.Id));
                WriteArray(w, "valves_to_close_min", plan.ValvesToCloseMin);
                WriteArray(w, "valves_already_closed", plan.ValvesAlreadyClosed);
                WriteArray(w, "cut_off_pipes", plan.CutOffPipes);
                WriteArray(w, "affected_consumers", plan.AffectedConsumers);
                w.WriteNumber("affected_households", plan.AffectedHouseholds);
                if (near is null) return;
                WritePoint(w, "burst", reader.ToPipesCrs(burst.X, burst.Y));
                w.WriteStartArray("valve_steps");
                for (var i = 0; i < valves.Count; i++)
                {
                    var v = valves[i];
                    var loc = graph.Valves[v.Valve].Location;
                    w.WriteStartObject();
                    w.WriteNumber("order", i + 1);
                    w.WriteString("id", v.Id);
                    WritePoint(w, "location", reader.ToPipesCrs(loc.X, loc.Y));
                    w.WriteNumber("distance_m", Math.Round(v.Distance, 2));
                    w.WriteBoolean("required", v.Required);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            };
        }));

        var checkOpts = new Options();
        var check = new Command("check", "数据检查：悬挂端点、重复管、无节点交叉、零长度、阀门不在管上、阀门归属不明、阀门两侧同段、无热源孤岛、二次网环路 (validation findings with type, ids and location)");
        checkOpts.AddTo(check);
        check.SetAction(p => Run(p, checkOpts, "check", (graph, reader) =>
        {
            var findings = NetworkValidator.Check(graph);
            return w =>
            {
                w.WriteStartArray("findings");
                foreach (var f in findings)
                {
                    w.WriteStartObject();
                    w.WriteString("type", f.Type);
                    WriteArray(w, "ids", f.Ids);
                    WritePoint(w, "location", reader.ToPipesCrs(f.X, f.Y));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            };
        }));

        cmd.Subcommands.Add(segments);
        cmd.Subcommands.Add(isolate);
        cmd.Subcommands.Add(check);
        return cmd;
    }

    private static IEnumerable<string> InoperableIds(ParseResult p, Options o, NetworkGraph graph)
    {
        var ids = (p.GetValue(o.Inoperable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var id in ids)
            if (!graph.TryGetValveIndex(id, out _))
                throw new NetworkInputException(graph.Valves.Count == 0
                    ? $"--inoperable: unknown valve id '{id}' (no valves were given: use --valves)."
                    : $"--inoperable: unknown valve id '{id}'.");
        return ids;
    }

    /// <summary>"X,Y" (invariant numbers) → (x, y); anything else names the option.</summary>
    private static (double X, double Y) ParsePosition(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && double.IsFinite(y))
            return (x, y);
        throw new NetworkInputException($"{option}: '{text}' is not a position X,Y (two numbers in the pipes' coordinates, e.g. 113.65,34.75).");
    }

    private static void WritePoint(Utf8JsonWriter w, string name, (double X, double Y) p)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(Math.Round(p.X, 7));
        w.WriteNumberValue(Math.Round(p.Y, 7));
        w.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        w.WriteStartArray(name);
        foreach (var s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }

    /// <summary>Reads the inputs, builds the graph, computes, then writes the whole JSON document — or reports one error line and exits 1.</summary>
    private static int Run(ParseResult p, Options o, string verb, Func<NetworkGraph, NetworkInputReader, Action<Utf8JsonWriter>> compute)
    {
        try
        {
            var snap = p.GetValue(o.Snap);
            if (!(snap >= 0) || double.IsInfinity(snap)) throw new NetworkInputException($"--snap must be a number ≥ 0, got {snap.ToString(CultureInfo.InvariantCulture)}.");
            Crs? crs = null;
            if (p.GetValue(o.Crs) is { } crsText)
            {
                if (!Crs.TryParse(crsText, out var parsed))
                    throw new NetworkInputException($"--crs: unknown coordinate system '{crsText}' (supported: {string.Join(", ", Crs.Supported)}).");
                crs = parsed;
            }
            var (input, reader) = NetworkInputReader.Read(
                p.GetValue(o.Pipes)!.FullName, p.GetValue(o.Valves)?.FullName, p.GetValue(o.Sources)?.FullName, p.GetValue(o.Consumers)?.FullName, crs);
            var graph = NetworkBuilder.Build(input, snap);
            var body = compute(graph, reader);

            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            var outFile = p.GetValue(o.Out);
            if (outFile is null)
            {
                using var stdout = Console.OpenStandardOutput();
                buffer.Position = 0;
                buffer.CopyTo(stdout);
            }
            else
            {
                // Write beside the target and move into place: a failure never leaves half a file.
                var tmp = outFile.FullName + ".tmp-" + Environment.ProcessId;
                File.WriteAllBytes(tmp, buffer.ToArray());
                File.Move(tmp, outFile.FullName, overwrite: true);
            }
            return 0;
        }
        catch (Exception e) when (e is NetworkInputException or RuleViolation or ArgumentException or KeyNotFoundException or FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"gridmap network {verb}: error: {e.Message}");
            return 1;
        }
    }
}
