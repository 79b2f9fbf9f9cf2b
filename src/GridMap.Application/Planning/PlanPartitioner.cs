using System.Diagnostics;
using System.Globalization;
using GridMap.Application.Pipeline;
using GridMap.Domain.Geo;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Planning;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Planning;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Planning;

/// <summary>
/// Partitions a plan area into a preview: compounds and roads in EPSG:4547 metres → territories (Voronoi of the
/// footprints clipped to the area, roads as barriers) → <see cref="CellPartitioner"/> → cell polygons, 15-digit codes
/// (dominant community, reading order) and names → saved as a preview with staff assigned. The published plan
/// is not touched. No feasible plan → a rule violation naming the constraint that failed, except in window mode when
/// only balance failed: then the best plan is saved as a preview flagged infeasible, its out-of-window cells named.
/// The preview (plan, cells, compounds, contiguity, staff) is saved as one write through the <see cref="WritePipeline"/>.
/// </summary>
public sealed class PlanPartitioner(AreaQueries areas, WritePipeline pipeline)
{
    /// <summary>Checks an area before a partition is queued, cheaply (no compounds or roads loaded): unknown code →
    /// <see cref="KeyNotFoundException"/>, no compounds → rule <c>area-empty</c>. Returns the area's name.</summary>
    public async Task<string> ValidateAreaAsync(PlanArea area, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        return Checked(area, await areas.SummaryAsync(area.Kind, area.Code, area.Polygon, ct)).Name;
    }

    /// <summary>Loads the area, its compounds and (when <paramref name="barriers"/>) the arterial roads crossing it; the same
    /// checks as <see cref="ValidateAreaAsync"/>.</summary>
    public Task<AreaData> LoadAreaAsync(PlanArea area, bool barriers, CancellationToken ct = default) => LoadAreaAsync(areas, area, barriers, ct);

    /// <summary>Loads an area through <paramref name="areas"/> (benchmarks and tools that only solve, without saving).</summary>
    public static async Task<AreaData> LoadAreaAsync(AreaQueries areas, PlanArea area, bool barriers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(area);
        var (name, district, polygon) = Checked(area, await areas.SummaryAsync(area.Kind, area.Code, area.Polygon, ct));
        var compounds = await areas.CompoundsAsync(area.Kind, area.Code, area.Polygon, ct);
        var roads = barriers ? await areas.BarriersAsync(polygon, ct) : [];
        return new AreaData(area, name, district, polygon, compounds, roads);
    }

    private static (string Name, string District, MultiPolygon Polygon) Checked(PlanArea area, AreaSummary s)
    {
        if (s.Name is null) throw new KeyNotFoundException($"没有代码为 {area.Code} 的区域 (no {area.Kind} with code '{area.Code}').");
        RuleViolation.Require(s.Compounds > 0 && s.DistrictCode is not null && s.Polygon is { IsEmpty: false }, RuleCodes.AreaEmpty,
            $"{s.Name} 范围内没有小区，无法划分网格 (no compounds in this area).");
        return (s.Name, s.DistrictCode!, s.Polygon!);
    }

    /// <summary>The partition use case: loads the request's area, partitions it and saves the preview (staff assigned);
    /// reports (stage, fraction) and honours <paramref name="ct"/> (cancelled → nothing saved). Returns the preview's plan id.</summary>
    public async Task<long> PartitionAsync(PlanRequest request, IProgress<PartitionProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var area = await LoadAreaAsync(request.Area, request.Barriers, ct);
        return await PartitionAsync(request, area, progress, ct);
    }

    /// <summary>Partitions an already loaded area and saves the preview; returns its id.</summary>
    public async Task<long> PartitionAsync(PlanRequest request, AreaData area, IProgress<PartitionProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(area);
        var gk = Crs.GaussKruger114;
        var sw = Stopwatch.StartNew();
        var options = request.ToOptions();
        var (graph, result) = await Task.Run(() => Solve(area, options, request.Nest, progress, ct), ct);
        ct.ThrowIfCancellationRequested();
        // Small area, window missed: exact mode finds a plan within it, proves there is none, or says it ran out of time.
        var heuristic = result;
        var exact = await Task.Run(() => PlanExactMode.Run(graph, options, heuristic, sw.Elapsed, progress, ct), ct);
        if (exact?.Plan is { } exactPlan) result = exactPlan;
        // Window mode on coarse compounds may have no plan with every cell inside the window (or none the search
        // finds). Then the best plan found — every compound placed, every cell contiguous — is still worth a preview:
        // the cells outside the window are flagged and named, the planner fixes them by hand or widens the window,
        // and publishing it needs an explicit confirmation. Any other failure (contiguity, nesting, locks) has no
        // usable plan and is refused with the engine's reason.
        var bestEffort = !result.IsFeasible && options.IsWindow && result.FailedConstraint == PartitionConstraint.Balance
            && result.Evaluation is { AllContiguous: true, UnassignedUnits: 0 };
        RuleViolation.Require(result.IsFeasible || bestEffort, RuleCodes.NoFeasiblePlan, $"没有满足约束的方案（{ConstraintName(result.FailedConstraint)}）：{result.Message}" +
            (exact?.Reason is { } why ? $" 精确求解：{why}" : ""));
        progress?.Report(new PartitionProgress("saving", 1));

        var k = result.CellCount;
        var (lower, upper, target) = new CellPartitioner(options).Bounds(graph);
        var cellPolys = CellCoverageBuilder.Build(graph, result.Assignment);
        var households = new double[k];
        var communityWeight = new Dictionary<string, double>[k];
        for (var c = 0; c < k; c++) communityWeight[c] = [];
        for (var u = 0; u < area.Compounds.Count; u++)
        {
            var c = result.Assignment[u];
            var comp = area.Compounds[u];
            households[c] += comp.Households;
            var prefix = comp.Community ?? (comp.Street is not null ? comp.Street + "000" : comp.District + "000000");
            communityWeight[c][prefix] = communityWeight[c].GetValueOrDefault(prefix) + comp.Households + 1e-3;
        }
        var prefixes = communityWeight.Select(w => w.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key).ToArray();
        var centroids = cellPolys.Select(p => (p.Centroid.X, p.Centroid.Y)).ToArray();
        var codes = CellCodeAssigner.Assign(centroids, prefixes);
        var names = await areas.CommunityNamesAsync(prefixes, ct);
        var cells = new List<PreviewCell>(k);
        var undersize = result.UndersizeCells.Select(u => u.Cell).ToHashSet();
        for (var c = 0; c < k; c++)
        {
            var seq = int.Parse(codes[c][12..], CultureInfo.InvariantCulture);
            var name = $"{(names.GetValueOrDefault(prefixes[c]) ?? area.Name).Replace("居民委员会", "", StringComparison.Ordinal)}第{seq}网格";
            cells.Add(new PreviewCell(c, codes[c], name, ToMulti(gk.ToWgs84(cellPolys[c])), undersize.Contains(c)));
        }
        var assignments = area.Compounds.Select((comp, u) => new PreviewAssignment(comp.Id, result.Assignment[u], ToMulti(gk.ToWgs84(graph.Territories[u]!)))).ToList();
        var ev = result.Evaluation!;
        var search = new PlanSearch
        {
            Seconds = Math.Round(sw.Elapsed.TotalSeconds, 2),
            Starts = result.Starts,
            TimeLimitReached = result.TimeLimitReached,
            MeanPolsbyPopperMetric = Math.Round(ev.MeanPolsbyPopper, 4),
            CutEdges = ev.CutEdges,
            Barriers = area.Barriers.Count,
            BarrierMode = options.Barriers == BarrierMode.Soft ? "soft" : "hard",
            BarrierCrossings = result.BarrierCrossings.Count,
            OversizeCells = result.OversizeCells.Count,
            UndersizeCells = result.UndersizeCells.Count,
            Units = graph.Count,
            Feasible = result.IsFeasible,
            Warnings = exact is null ? Warnings(result, area, cells, lower, upper) : [PlanExactMode.Note(exact, lower, upper), .. Warnings(result, area, cells, lower, upper)],
            Exact = exact is null ? null : PlanExact.From(exact),
        };
        var crossings = result.BarrierCrossings.Select(c => (area.Compounds[c.A].Id, area.Compounds[c.B].Id)).ToList();
        var preview = new NewPreview(area.Area.Kind, area.Area.Code, area.Area.Key, area.Name, area.DistrictCode, area.Polygon, request.ToParams(), search,
            lower, upper, target, cells, assignments) { BarrierCrossings = crossings };
        return await pipeline.RunAsync(new WriteSpec("planning.partition", $"area:{area.Area.Key}"), s => SavePreviewAsync(s, preview, request.Barriers, ct), ct);
    }

    /// <summary>Saves a new preview in <paramref name="session"/>, marks each cell's contiguity as every later edit checks it
    /// (territories + roads when <paramref name="barriers"/>), assigns staff; returns its id.</summary>
    internal static async Task<long> SavePreviewAsync(DbSession session, NewPreview preview, bool barriers, CancellationToken ct)
    {
        var id = await PlanRepository.InsertPreviewAsync(session, preview, ct);
        var all = preview.Cells.Select(c => c.Index).ToArray();
        var edges = await PlanRepository.AdjacencyAsync(session, id, all, barriers, ct);
        var members = preview.Assignments.GroupBy(a => a.Cell).ToDictionary(g => g.Key, g => g.Select(a => a.CompoundId).ToList());
        var broken = all.Where(c => !PlanEditor.IsContiguous(members.GetValueOrDefault(c) ?? [], edges)).ToArray();
        if (broken.Length > 0) await PlanRepository.SetContiguousAsync(session, id, broken, false, ct);
        await PlanStaffing.AutoAssignAsync(session, id, ct);
        return id;
    }

    /// <summary>The engine's notes for planners, in Chinese with the compounds' and cells' names.</summary>
    private static List<string> Warnings(PartitionResult result, AreaData area, IReadOnlyList<PreviewCell> cells, double lower, double upper)
    {
        var byId = area.Compounds.ToDictionary(c => c.Id.ToString(CultureInfo.InvariantCulture));
        var list = new List<string>();
        if (!result.IsFeasible)
        {
            var outside = result.Evaluation!.Cells.Where(c => !c.Oversize && !c.Undersize && (c.Weight < lower - 1e-9 || c.Weight > upper + 1e-9)).ToList();
            list.Add($"未找到每格都在 {lower:0}–{upper:0} 户之间的方案，这是找到的最好方案：{outside.Count} 个网格超出范围（" +
                string.Join("、", outside.Take(6).Select(c => $"{cells[c.Cell].Name} {c.Weight:0} 户")) + (outside.Count > 6 ? "、…" : "") +
                "，表中偏差标红）。可点击小区移入相邻网格手动调整，或放宽户数范围后重新划分；发布前需确认。");
        }
        foreach (var o in result.OversizeCells)
        {
            var c = byId[o.UnitId];
            list.Add($"超大网格 {cells[o.Cell].Name}：小区“{c.Name}”单独 {o.UnitWeight:0} 户，超过每格上限 {upper:0} 户，整小区不可拆分，单独成格" +
                (o.AttachedUnits.Count > 0 ? $"；另有 {o.AttachedUnits.Count} 个相邻小区无法单独成格，并入该格（共 {o.CellWeight:0} 户）。" : "。"));
        }
        foreach (var u in result.UndersizeCells)
            list.Add(u.Units.Count == 1
                ? $"不足额网格 {cells[u.Cell].Name}：小区“{byId[u.Units[0]].Name}”仅 {u.Weight:0} 户，低于每格下限，且与任何相邻小区合并都会超过上限 {upper:0} 户，单独成格。"
                : $"不足额网格 {cells[u.Cell].Name}：{u.Units.Count} 个小区共 {u.Weight:0} 户，低于每格下限，且没有可合并的相邻区域，合为一格。");
        if (result.BarrierCrossings.Count > 0)
            list.Add($"有 {result.BarrierCrossings.Count} 处跨主干道：被主干道围住的小区户数不足以整分成网格，已与相邻区域合并（" +
                string.Join("；", result.BarrierCrossings.Take(8).Select(x => $"{byId[x.UnitA].Name}—{byId[x.UnitB].Name}")) +
                (result.BarrierCrossings.Count > 8 ? "；…" : "") + "）。");
        return list;
    }

    /// <summary>The engine's part of a run, without saving: compounds and roads in EPSG:4547 metres → territories
    /// (Voronoi of the footprints clipped to the area, roads as barriers) → <see cref="CellPartitioner"/>.
    /// Benchmarks call it to measure the planner's outcome on every demo street.</summary>
    public static (UnitGraph Graph, PartitionResult Result) Solve(AreaData area, PartitionOptions options, bool nest,
        IProgress<PartitionProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(area);
        var gk = Crs.GaussKruger114;
        progress?.Report(new PartitionProgress("adjacency", 0));
        var units = area.Compounds.Select(c => new PartitionUnit(c.Id.ToString(CultureInfo.InvariantCulture), gk.FromWgs84(c.Footprint), c.Households,
            nest ? c.Community ?? c.Street ?? c.District : null)).ToList();
        var metricArea = gk.FromWgs84(area.Polygon);
        var barriers = area.Barriers.Select(gk.FromWgs84).ToList();
        var clock = Stopwatch.StartNew();
        var g = new UnitGraphBuilder { Tessellation = TessellationMode.Always, Area = metricArea, Barriers = barriers }.BuildGraph(units, ct);
        progress?.Report(new PartitionProgress("search", 0));
        // The planner's time limit covers the whole computation: territories and graph (seconds for a district), then
        // the search with what is left (a district ran 15 s against 10 s when the search had the full limit to itself).
        var left = options.TimeLimit - clock.Elapsed;
        return (g, CellPartitioner.Partition(g, options.WithTimeLimit(left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1)), progress, ct));
    }

    private static string ConstraintName(PartitionConstraint c) => c switch
    {
        PartitionConstraint.Balance => "户数均衡 balance",
        PartitionConstraint.Contiguity => "连通 contiguity",
        PartitionConstraint.Nesting => "按社区嵌套 nesting",
        PartitionConstraint.LockedCells => "锁定网格 locked cells",
        PartitionConstraint.TimeLimit => "时间上限 time limit",
        _ => c.ToString(),
    };

    private static MultiPolygon ToMulti(Geometry g)
    {
        g.SRID = 4326;
        var polys = g switch
        {
            MultiPolygon mp => mp,
            Polygon p => g.Factory.CreateMultiPolygon([p]),
            _ => g.Factory.CreateMultiPolygon(Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>().ToArray()),
        };
        if (!polys.IsValid) polys = NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(polys) is MultiPolygon fixedMp ? fixedMp
            : g.Factory.CreateMultiPolygon(Enumerable.Range(0, polys.NumGeometries).Select(polys.GetGeometryN).OfType<Polygon>().ToArray());
        polys.SRID = 4326;
        return polys;
    }
}
