using System.CommandLine;
using System.Globalization;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Exact;
using NetTopologySuite.Geometries;
using Spectre.Console;

namespace GridMap.Cli.Commands;

/// <summary>
/// `gridmap partition` — divide units (compounds, tracts) into balanced, contiguous, compact cells from
/// files, without a database. Exit codes: 0 plan written; 2 bad input; 3 no feasible plan (the message
/// names the constraint); 130 cancelled. Nothing is written unless the plan is feasible — except the --report of an
/// --exact run, which says why there is no plan (proved impossible, with the smallest window that admits one, or unknown).
/// </summary>
internal static class PartitionCommand
{
    public const int BadInput = 2, Infeasible = 3, Cancelled = 130;

    public static Command Create()
    {
        var units = new Option<FileInfo>("--units") { Description = "单元文件：GeoJSON 或带 .prj 的 Shapefile，面要素 (units: polygons, GeoJSON or Shapefile with .prj)", Required = true };
        var weight = new Option<string>("--weight") { Description = "权重属性，如 households (numeric property used as workload)", Required = true };
        var cells = new Option<int?>("--cells") { Description = "网格数 K (number of cells); with --tolerance" };
        var tolerance = new Option<double>("--tolerance") { Description = "每格权重允许偏差，0.05 = 总量/K 的 ±5% (allowed deviation from total/K)", DefaultValueFactory = _ => 0.05 };
        var min = new Option<double?>("--min") { Description = "每格最小权重，如 300 户；与 --max 一起使用时自动确定 K (minimum cell weight; K chosen automatically)" };
        var max = new Option<double?>("--max") { Description = "每格最大权重，如 500 户 (maximum cell weight)" };
        var objective = new Option<string>("--objective") { Description = "优化目标 compact（紧凑度，Polsby-Popper）或 cut-edges（切边数）", DefaultValueFactory = _ => "compact" };
        objective.AcceptOnlyFromAmong("compact", "cut-edges");
        var barriers = new Option<FileInfo?>("--barriers") { Description = "障碍线文件（主干道、河流），网格不跨越 (barrier lines cells must not cross)" };
        var barrierMode = new Option<string>("--barrier-mode")
        {
            Description = "障碍线模式：hard 绝不跨越；soft 尽量不跨越——被障碍围住、无法整分为网格的区域跨最短的一处障碍与相邻区域合并，报告所用跨越 " +
                "(hard: never cross; soft: cross only where a fenced-in group cannot be divided into whole cells, reported)",
            DefaultValueFactory = _ => "hard",
        };
        barrierMode.AcceptOnlyFromAmong("hard", "soft");
        var nestBy = new Option<string?>("--nest-by") { Description = "嵌套属性，如 community：网格不跨越该属性相同的区域 (keep cells inside areas sharing this property)" };
        var seed = new Option<int>("--seed") { Description = "随机种子，相同种子得到相同结果 (random seed)", DefaultValueFactory = _ => 1 };
        var timeLimit = new Option<double>("--time-limit") { Description = "求解时间上限，秒 (search time limit, seconds)", DefaultValueFactory = _ => 10 };
        var crs = new Option<string?>("--crs") { Description = "输入坐标系，覆盖文件声明 (EPSG:n, GCJ-02 or 'local'; overrides the file's CRS)" };
        var output = new Option<FileInfo>("--out") { Description = "输出 GeoJSON：每个单元及其全部属性，加整数属性 cell（从 0 开始）", Required = true };
        var report = new Option<FileInfo?>("--report") { Description = "报告 JSON：每格权重、偏差、Polsby-Popper、单元数、连通性；总计；运行时间" };
        var quiet = new Option<bool>("--quiet") { Description = "不显示进度条 (no progress bar)" };
        var exact = new Option<bool>("--exact")
        {
            Description = $"精确求解（CP-SAT，至多 {ExactPartitioner.MaxUnits} 个单元）：在启发式之后证明最优、给出差距，或证明无可行方案并给出最小可行范围；" +
                "启发式与精确求解各用至多 --time-limit 秒（精确求解含最小可行范围的搜索）；找到的方案写入 --out，报告中加 exact " +
                $"(exact mode, up to {ExactPartitioner.MaxUnits} units: after the heuristic, prove the optimum or the gap, or prove that no plan exists and " +
                "find the smallest window that admits one; the heuristic and exact mode each get --time-limit seconds, exact mode including the smallest-window search; its plan goes to --out, the report gets \"exact\")",
        };
        var cmd = new Command("partition", "自动划分网格：整小区、连通、紧凑、均衡 (divide units into balanced, contiguous, compact cells)");
        foreach (var o in new Option[] { units, weight, cells, tolerance, min, max, objective, barriers, barrierMode, nestBy, seed, timeLimit, crs, output, report, quiet, exact })
            cmd.Options.Add(o);

        cmd.SetAction((p, ct) =>
        {
            var args = new PartitionArguments(p.GetValue(units)!, p.GetValue(weight)!, p.GetValue(cells), p.GetValue(tolerance), p.GetValue(min),
                p.GetValue(max), p.GetValue(objective)!, p.GetValue(barriers), p.GetValue(barrierMode)!, p.GetValue(nestBy), p.GetValue(seed), p.GetValue(timeLimit),
                p.GetValue(crs), p.GetValue(output)!, p.GetValue(report), p.GetValue(quiet)) { Exact = p.GetValue(exact) };
            return Task.FromResult(Run(args, ct));
        });
        return cmd;
    }

    internal sealed record PartitionArguments(FileInfo Units, string Weight, int? Cells, double Tolerance, double? Min, double? Max,
        string Objective, FileInfo? Barriers, string BarrierMode, string? NestBy, int Seed, double TimeLimit, string? Crs, FileInfo Out, FileInfo? Report, bool Quiet)
    {
        /// <summary>Run exact mode after the heuristic (--exact).</summary>
        public bool Exact { get; init; }
    }

    private sealed class InputException(string message) : Exception(message);

    internal static int Run(PartitionArguments a, CancellationToken ct)
    {
        try
        {
            return RunChecked(a, ct);
        }
        catch (InputException e) { return Error(e.Message, BadInput); }
        catch (FeatureFileException e) { return Error(e.Message, BadInput); }
        catch (OperationCanceledException) { return Error("cancelled; nothing written.", Cancelled); }
    }

    private static int Error(string message, int code)
    {
        Console.Error.WriteLine($"gridmap partition: {message}");
        return code;
    }

    private static int RunChecked(PartitionArguments a, CancellationToken ct)
    {
        // GRIDMAP_PARTITION_PROFILE=1 prints the wall time of each stage of the process (and the graph's own laps) to stderr.
        var profile = Environment.GetEnvironmentVariable("GRIDMAP_PARTITION_PROFILE") is not null;
        var hugePages = HugePages.Advise();
        if (profile)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  profile huge pages: {(hugePages > 0 ? $"advised {hugePages / (1UL << 30)} GB of heap reservation" : "off")}"));
        var lapClock = System.Diagnostics.Stopwatch.StartNew();
        var lapCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        void Lap(string stage)
        {
            if (!profile) return;
            // CPU beside wall: a stage whose CPU is close to its wall ran on one core.
            var process = System.Diagnostics.Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  profile {stage}: {lapClock.Elapsed.TotalSeconds:0.000} s, CPU {(cpu - lapCpu).TotalSeconds:0.00} s (process {(DateTime.Now - process.StartTime).TotalSeconds:0.00} s, allocated so far {GC.GetTotalAllocatedBytes() / 1e9:0.00} GB, GC paused {GC.GetTotalPauseDuration().TotalSeconds:0.00} s)"));
            lapCpu = cpu;
            lapClock.Restart();
        }
        Lap("start-up");
        var options = BuildOptions(a);
        Crs? overrideCrs = null;
        if (a.Crs is not null)
        {
            if (!Crs.TryParse(a.Crs, out var c)) throw new InputException($"--crs '{a.Crs}' is not a supported coordinate system ({string.Join(", ", Crs.Supported)}).");
            overrideCrs = c;
        }
        // Reading and projecting keep nearly all they allocate: no collections until the graph (see LoadPhase).
        // Ended before the graph is built, or on the way out when the input is refused.
        using var load = LoadPhase.Begin(a.Units.Length);
        if (profile) Console.Error.WriteLine($"  profile load without GC: {(load.Started ? "yes" : "no")}");
        // The units' polygons keep their GeoJSON text: the plan writes it back as it is (no coordinate formatted again).
        var set = FeatureFile.Read(a.Units.FullName, overrideCrs, keepRawGeometry: true);
        Lap("read units");
        if (set.Features.Count == 0) throw new InputException($"{a.Units.Name} has no features.");
        var geometries = new List<Geometry>(set.Features.Count);
        var weights = new List<double>(set.Features.Count);
        var parents = new List<string?>(set.Features.Count);
        foreach (var f in set.Features)
        {
            var label = f.Id is null ? $"feature #{f.Index}" : $"feature #{f.Index} (id {f.Id})";
            if (f.Geometry is null) throw new InputException($"{label} has no usable geometry: {f.GeometryError ?? "missing"}.");
            if (f.Geometry is not (Polygon or MultiPolygon)) throw new InputException($"{label} is a {f.Geometry.GeometryType}; units must be polygons.");
            if (!f.Properties.TryGetValue(a.Weight, out var raw) || raw is null)
                throw new InputException($"{label} has no '{a.Weight}' property (--weight); properties are: {string.Join(", ", f.Properties.Keys.Take(12))}.");
            var w = raw switch
            {
                long l => l,
                double d => d,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                _ => throw new InputException($"{label}: '{a.Weight}' = {raw} is not a number."),
            };
            if (!double.IsFinite(w) || w < 0) throw new InputException($"{label}: '{a.Weight}' = {w} must be a finite number ≥ 0.");
            geometries.Add(f.Geometry);
            weights.Add(w);
            if (a.NestBy is not null)
            {
                if (!f.Properties.TryGetValue(a.NestBy, out var pv) || pv is null)
                    throw new InputException($"{label} has no '{a.NestBy}' property (--nest-by).");
                parents.Add(Convert.ToString(pv, CultureInfo.InvariantCulture));
            }
            else parents.Add(null);
        }
        if (set.Crs.IsGeographic && geometries.Any(g => g.EnvelopeInternal.MaxX > 180 || g.EnvelopeInternal.MinX < -180 || Math.Abs(g.EnvelopeInternal.MaxY) > 90))
            throw new InputException($"{a.Units.Name}: coordinates are not lon/lat but the file's CRS is {set.Crs}; declare the real one with --crs.");

        if (a.Exact && geometries.Count > ExactPartitioner.MaxUnits)
            throw new InputException($"--exact handles up to {ExactPartitioner.MaxUnits} units; {a.Units.Name} has {geometries.Count}.");
        var projection = LocalProjection.For(geometries, set.Crs);
        var ids = UniqueIds(set.Features);
        // Projected on all cores; the first one alone, so that the transformation it builds lazily is shared, not raced for.
        // Metric input is used as read, not copied (nothing downstream changes a unit's geometry): on 100,000 compounds the
        // copies were a second million coordinates for every collection to mark, and 0.06–0.1 s to make.
        var metric = new Geometry[geometries.Count];
        if (projection.IsIdentityFor(set.Crs)) geometries.CopyTo(metric, 0);
        else
        {
            metric[0] = projection.ToMetric(geometries[0], set.Crs);
            Parallel.For(1, metric.Length, i => metric[i] = projection.ToMetric(geometries[i], set.Crs));
        }
        var unitList = new List<PartitionUnit>(geometries.Count);
        for (var i = 0; i < geometries.Count; i++)
            unitList.Add(new PartitionUnit(ids[i], metric[i], weights[i], parents[i]));
        var barrierGeoms = new List<Geometry>();
        if (a.Barriers is not null)
        {
            var bset = FeatureFile.Read(a.Barriers.FullName, overrideCrs);
            foreach (var f in bset.Features)
            {
                if (f.Geometry is null) throw new InputException($"{a.Barriers.Name}: feature #{f.Index} has no usable geometry.");
                if (f.Geometry is not (LineString or MultiLineString or Polygon or MultiPolygon))
                    throw new InputException($"{a.Barriers.Name}: feature #{f.Index} is a {f.Geometry.GeometryType}; barriers are lines.");
                try { barrierGeoms.Add(projection.ToMetric(f.Geometry, bset.Crs)); }
                catch (ArgumentException e) { throw new InputException($"{a.Barriers.Name}: {e.Message}"); }
            }
        }

        load.Dispose();
        Lap("units and projection");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        UnitGraph graph = null!;
        PartitionResult result = null!;
        ExactResult? exactResult = null;
        void Work(Action<string, double> report)
        {
            report("adjacency", 0);
            graph = new UnitGraphBuilder { Barriers = barrierGeoms, KeepTerritories = false }.BuildGraph(unitList, ct);
            Lap("graph");
            if (profile) foreach (var (stage, s) in graph.BuildTimings) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    graph {stage}: {s:0.000} s"));
            report("search", 0);
            var progress = new SyncProgress(pr => report(pr.Stage, pr.Fraction));
            result = CellPartitioner.Partition(graph, options, progress, ct);
            Lap("search");
            if (a.Exact)
            {
                report("exact", 0);
                exactResult = ExactPartitioner.Solve(graph, options, result, options.TimeLimit, ct);
                if (exactResult.Plan is { } exactPlan) result = exactPlan;
            }
            report("done", 1);
        }
        if (a.Quiet || !AnsiConsole.Profile.Capabilities.Interactive && Console.IsErrorRedirected)
            Work((_, _) => { });
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask("邻接/adjacency", maxValue: 1);
                Work((stage, fraction) =>
                {
                    task.Description = stage switch { "adjacency" => "邻接/adjacency", "search" => "划分/search", "exact" => "精确求解/exact", _ => "完成/done" };
                    task.Value = stage == "adjacency" ? 0 : fraction;
                });
            });
        }
        sw.Stop();

        if (exactResult is not null)
            Console.Error.WriteLine(FormattableString.Invariant($"gridmap partition: exact: {exactResult.StatusName}") +
                (exactResult.Gap is { } gap ? FormattableString.Invariant($", gap {gap:P2}") : "") + (exactResult.Reason is { } why ? $" — {why}" : "") +
                FormattableString.Invariant($" ({exactResult.Seconds:0.00} s)"));
        if (!result.IsFeasible)
        {
            // An exact run's report says why there is no plan (proved impossible or unknown); the plan itself is not written.
            if (exactResult is not null && a.Report is not null)
                WriteAtomically(a.Report.FullName, path => PartitionReport.Write(path, graph, result, options, a, projection.Description, sw.Elapsed, exactResult));
            return Error($"no feasible plan — {result.Message} Nothing written{(exactResult is not null && a.Report is not null ? " but the report" : "")}.", Infeasible);
        }

        // Each unit's properties and its cell, built as the features are written (on all cores); its geometry the text read.
        WriteAtomically(a.Out.FullName, path => FeatureFile.WriteGeoJson(path, set.Features,
            (f, i) => new Dictionary<string, object?>(f.Properties, StringComparer.Ordinal) { ["cell"] = result.Assignment[i] }, set.Crs));
        Lap("write plan");
        if (a.Report is not null)
            WriteAtomically(a.Report.FullName, path => PartitionReport.Write(path, graph, result, options, a, projection.Description, sw.Elapsed, exactResult));
        Lap("write report");
        if (profile)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  profile GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalSeconds:0.00} s, allocated {GC.GetTotalAllocatedBytes() / 1e9:0.0} GB"));
        var ev = result.Evaluation!;
        foreach (var warning in result.Warnings) Console.Error.WriteLine($"gridmap partition: warning: {warning}");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gridmap partition: {result.CellCount} cells, max deviation {ev.MaxDeviation:P2}, mean Polsby-Popper {ev.MeanPolsbyPopper:0.000}, cut edges {ev.CutEdges}, {sw.Elapsed.TotalSeconds:0.00} s → {a.Out.Name}"));
        return 0;
    }

    private static PartitionOptions BuildOptions(PartitionArguments a)
    {
        if (!a.Units.Exists) throw new InputException($"--units file not found: {a.Units.FullName}");
        if (a.Barriers is { Exists: false }) throw new InputException($"--barriers file not found: {a.Barriers.FullName}");
        if (a.Cells is not null && (a.Min is not null || a.Max is not null))
            throw new InputException("give either --cells K [--tolerance F] or --min A --max B, not both.");
        if (a.Cells is null && (a.Min is null || a.Max is null))
            throw new InputException("give the number of cells (--cells K) or a window per cell (--min A --max B).");
        if (!(a.TimeLimit > 0)) throw new InputException($"--time-limit {a.TimeLimit} must be a positive number of seconds.");
        var options = new PartitionOptions
        {
            Cells = a.Cells,
            Tolerance = a.Tolerance,
            MinWeight = a.Min,
            MaxWeight = a.Max,
            Objective = a.Objective == "cut-edges" ? PartitionObjective.CutEdges : PartitionObjective.Compact,
            Nest = a.NestBy is not null,
            Barriers = a.BarrierMode == "soft" ? Domain.Partitioning.BarrierMode.Soft : Domain.Partitioning.BarrierMode.Hard,
            Seed = a.Seed,
            TimeLimit = TimeSpan.FromSeconds(a.TimeLimit),
        };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new InputException(e.Message); }
        return options;
    }

    /// <summary>Feature ids when unique, else the feature index (the output keeps every original property anyway).</summary>
    private static string[] UniqueIds(IReadOnlyList<FeatureRecord> features)
    {
        var ids = features.Select(f => f.Id ?? "").ToArray();
        return ids.All(i => i.Length > 0) && ids.Distinct().Count() == ids.Length
            ? ids
            : features.Select(f => "#" + f.Index.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private static void WriteAtomically(string path, Action<string> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir)) throw new InputException($"output folder does not exist: {dir}");
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            write(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(Action<PartitionProgress> report) : IProgress<PartitionProgress>
    {
        public void Report(PartitionProgress value) => report(value);
    }
}
