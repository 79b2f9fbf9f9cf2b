using GridMap.Domain.Graphs;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Rules;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Linemerge;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;

namespace GridMap.Domain.Planning;

/// <summary>
/// A compound inside an editable plan: id, households (≥ 0), footprint and territory (the compound's share
/// of the plan area; a cell's polygon is the union of its compounds' territories), its cell index and, when
/// the plan nests cells in communities, the parent community code. Geometries may be in any one CRS
/// (the store passes WGS84 lon/lat): the editor only does topology and area ratios.
/// </summary>
public sealed record PlanUnit
{
    public PlanUnit(int id, double households, Geometry footprint, Geometry territory, int cell, string? parent = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(footprint);
        ArgumentNullException.ThrowIfNull(territory);
        if (!double.IsFinite(households) || households < 0) throw new ArgumentOutOfRangeException(nameof(households), $"compound {id} has {households} households; must be ≥ 0.");
        if (cell < 0) throw new ArgumentOutOfRangeException(nameof(cell), $"compound {id} has cell {cell}; cells are numbered from 0.");
        Id = id; Households = households; Footprint = footprint; Territory = territory; Cell = cell; Parent = parent; Name = name;
    }
    public int Id { get; }
    public double Households { get; }
    public Geometry Footprint { get; }
    public Geometry Territory { get; }
    public int Cell { get; }
    public string? Parent { get; }
    public string? Name { get; }
    /// <summary>Label for messages: 名称（#id）.</summary>
    public string Label => Name is { Length: > 0 } n ? $"{n}（#{Id}）" : $"#{Id}";
}

/// <summary>The outcome of redrawing the edge between two cells: both new cell polygons and every
/// compound of the two cells with its (possibly new) cell and territory.</summary>
public sealed record EdgeRedraw(Geometry CellA, Geometry CellB, IReadOnlyList<PlanUnit> Units, IReadOnlyList<int> Reassigned);

/// <summary>
/// The rules of editing a plan by hand: moving one compound to a neighbouring cell, redrawing the edge two
/// cells share, and the contiguity every cell must keep. A rule that the edit would break is reported as an
/// <see cref="RuleViolation"/> (stable code) whose message names the cell or compound and the reason (the API
/// answers 422 with it); input that cannot be valid at all is an <see cref="ArgumentException"/>.
/// </summary>
public static class PlanEditor
{
    /// <summary>
    /// Checks moving compound <paramref name="compoundId"/> into cell <paramref name="toCell"/>. <paramref name="units"/>
    /// holds at least every compound of the compound's current cell and of the target cell; <paramref name="edges"/> the
    /// connecting adjacency (shared boundary of positive length, not cut by a barrier unless the plan allows that crossing) between them, by compound id.
    /// Rejected when: the target is the current cell, either cell is locked, nesting keeps them in different communities,
    /// the compound does not border the target cell, it is the last compound of its cell, or the rest of its cell would
    /// fall apart. Balance is not a rule here: the caller reports the new deviations.
    /// </summary>
    public static void CheckMove(IReadOnlyList<PlanUnit> units, IReadOnlyList<(int A, int B)> edges, IReadOnlySet<int> lockedCells,
        int compoundId, int toCell, bool nest, Func<int, string>? cellLabel = null)
    {
        if (MoveViolation(units, edges, lockedCells, compoundId, toCell, nest, cellLabel) is { } violation) throw violation;
    }

    /// <summary>The rule moving compound <paramref name="compoundId"/> into <paramref name="toCell"/> would break (as
    /// <see cref="CheckMove"/> would throw it), or null when the move is allowed: the move preview asks this of every
    /// neighbouring cell without a write.</summary>
    public static RuleViolation? MoveViolation(IReadOnlyList<PlanUnit> units, IReadOnlyList<(int A, int B)> edges, IReadOnlySet<int> lockedCells,
        int compoundId, int toCell, bool nest, Func<int, string>? cellLabel = null)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(edges);
        cellLabel ??= c => $"网格 {c}";
        var index = new Dictionary<int, int>(units.Count);
        for (var i = 0; i < units.Count; i++) index[units[i].Id] = i;
        if (!index.TryGetValue(compoundId, out var me)) throw new KeyNotFoundException($"compound {compoundId} is not in this plan.");
        var unit = units[me];
        if (unit.Cell != toCell && !units.Any(u => u.Cell == toCell)) throw new ArgumentException($"cell {toCell} has no compounds in this plan.");
        var adjacent = units.Select(_ => new List<int>()).ToArray();
        foreach (var (a, b) in edges)
            if (index.TryGetValue(a, out var ia) && index.TryGetValue(b, out var ib)) { adjacent[ia].Add(ib); adjacent[ib].Add(ia); }
        var check = UnitMoveChecker.Check(units.Select(u => u.Cell).ToArray(), i => adjacent[i], me, toCell, lockedCells,
            nest ? units.Select(u => u.Parent).ToArray() : null);
        var from = unit.Cell;
        if (!check.Allowed)
        {
            var (code, message) = check.Rule switch
            {
                MoveRule.AlreadyInCell => (RuleCodes.AlreadyInCell, $"小区 {unit.Label} 已在{cellLabel(toCell)}中 (already in that cell)."),
                MoveRule.CellLocked => (RuleCodes.CellLocked, $"{cellLabel(from)} 已锁定，不能移出小区 (cell is locked)."),
                MoveRule.TargetLocked => (RuleCodes.TargetLocked, $"{cellLabel(toCell)} 已锁定，不能移入小区 (target cell is locked)."),
                MoveRule.OtherParent => (RuleCodes.OtherCommunity, $"按社区嵌套：小区 {unit.Label} 属于社区 {unit.Parent}，{cellLabel(toCell)} 属于其他社区 (nesting keeps cells inside one community)."),
                MoveRule.NotAdjacent => (RuleCodes.NotAdjacent, $"小区 {unit.Label} 与{cellLabel(toCell)}不相邻（或被主干道隔开），只能移入相邻网格 (not adjacent to the target cell)."),
                MoveRule.LastUnit => (RuleCodes.LastCompound, $"小区 {unit.Label} 是{cellLabel(from)}的最后一个小区，移出后网格为空 (cell would be empty)."),
                _ => (RuleCodes.WouldSplitCell, $"移出小区 {unit.Label} 会使{cellLabel(from)}不连通 (would break the contiguity of its cell)."),
            };
            return new RuleViolation(code, message);
        }
        return null;
    }

    /// <summary>True when the compounds <paramref name="members"/> are connected through <paramref name="edges"/> among themselves
    /// (an empty or single-member set is contiguous).</summary>
    public static bool IsContiguous(IReadOnlyCollection<int> members, IReadOnlyList<(int A, int B)> edges) =>
        Connectivity.IsConnected(members, edges);

    /// <summary>Throws the rule violation when the compounds of a cell are not connected.</summary>
    public static void EnsureContiguous(IReadOnlyCollection<int> members, IReadOnlyList<(int A, int B)> edges, string cellLabel)
    {
        if (!IsContiguous(members, edges))
            throw new RuleViolation(RuleCodes.WouldSplitCell, $"{cellLabel}的小区将不再连通（被主干道或其他网格隔开）(the cell would not be contiguous).");
    }

    /// <summary>Throws unless a plan in <paramref name="status"/> may be edited (only previews may).</summary>
    public static void EnsureEditable(string status, long planId)
    {
        if (status != "preview")
            throw new RuleViolation(RuleCodes.PlanNotEditable, $"方案 {planId} 状态为 {status}，只能修改预览方案 (only preview plans can be edited; partition again to change a published plan).");
    }

    /// <summary>
    /// Redraws the edge shared by cells A and B. <paramref name="newEdge"/> replaces one stretch of their shared
    /// boundary and must start and end (within <paramref name="tolerance"/>, in the geometries' units) where that
    /// stretch does; the rest of both outlines stays exactly as it is, so no other cell changes. Compounds go to the
    /// side their footprint lies on; territories are clipped to the new cells and the area that changed side is
    /// given to the compound of its new cell it borders most. Rejected when the edge leaves the two cells, crosses
    /// itself, would cut a compound's footprint, split a cell into pieces or leave a cell without compounds.
    /// Contiguity through barriers is checked by the caller, which knows the roads.
    /// </summary>
    public static EdgeRedraw RedrawEdge(Geometry cellA, Geometry cellB, int a, int b, LineString newEdge, IReadOnlyList<PlanUnit> units,
        double tolerance, Func<int, string>? cellLabel = null)
    {
        ArgumentNullException.ThrowIfNull(cellA);
        ArgumentNullException.ThrowIfNull(cellB);
        ArgumentNullException.ThrowIfNull(newEdge);
        cellLabel ??= c => $"网格 {c}";
        if (newEdge.NumPoints < 2 || newEdge.IsEmpty) throw new ArgumentException("the new edge needs at least two points.");
        if (!newEdge.IsSimple) throw new RuleViolation(RuleCodes.EdgeSelfIntersects, "新边界自相交 (the new edge crosses itself).");
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), "tolerance must be positive.");
        var f = cellA.Factory;

        // The stretches of shared boundary between the two cells.
        var shared = OverlayNGRobust.Overlay(cellA.Boundary, cellB.Boundary, SpatialFunction.Intersection);
        var merger = new LineMerger();
        for (var i = 0; i < shared.NumGeometries; i++)
            if (shared.GetGeometryN(i) is LineString ls && ls.Length > 0) merger.Add(ls);
        var stretches = merger.GetMergedLineStrings().Cast<LineString>().ToList();
        if (stretches.Count == 0) throw new RuleViolation(RuleCodes.NotNeighbours, $"{cellLabel(a)}与{cellLabel(b)}没有共用边界 (the cells are not neighbours).");

        var p0 = newEdge.StartPoint.Coordinate; var p1 = newEdge.EndPoint.Coordinate;
        LineString? old = null;
        var reversed = false;
        foreach (var s in stretches.OrderByDescending(s => s.Length))
        {
            Coordinate s0 = s.StartPoint.Coordinate, s1 = s.EndPoint.Coordinate;
            if (s0.Distance(p0) <= tolerance && s1.Distance(p1) <= tolerance) { old = s; break; }
            if (s0.Distance(p1) <= tolerance && s1.Distance(p0) <= tolerance) { old = s; reversed = true; break; }
        }
        if (old is null)
            throw new RuleViolation(RuleCodes.EdgeEndsMismatch, $"新边界的两端必须与{cellLabel(a)}和{cellLabel(b)}共用边界的两端重合 (the new edge must start and end where the shared edge does).");
        // Snap the ends exactly onto the old edge's ends so the outline of A ∪ B keeps its exact vertices.
        var coords = newEdge.Coordinates.Select(c => c.Copy()).ToArray();
        coords[0] = (reversed ? old.EndPoint : old.StartPoint).Coordinate.Copy();
        coords[^1] = (reversed ? old.StartPoint : old.EndPoint).Coordinate.Copy();
        var edge = f.CreateLineString(coords);

        var union = Polygonal(OverlayNGRobust.Overlay(cellA, cellB, SpatialFunction.Union));
        // Outline of A ∪ B, the stretches that stay, and the new edge → faces.
        var onlyA = OverlayNGRobust.Overlay(cellA.Boundary, cellB, SpatialFunction.Difference);
        var onlyB = OverlayNGRobust.Overlay(cellB.Boundary, cellA, SpatialFunction.Difference);
        var lines = new List<Geometry> { union.Boundary, edge };
        lines.AddRange(stretches.Where(s => !ReferenceEquals(s, old)));
        var noded = OverlayNGRobust.Union(f.BuildGeometry(lines));
        var polygonizer = new Polygonizer();
        polygonizer.Add(noded);
        var faces = polygonizer.GetPolygons().Cast<Polygon>().Where(p => p.Area > 0).ToList();
        if (!union.Buffer(tolerance).Covers(edge))
            throw new RuleViolation(RuleCodes.EdgeOutsideCells, $"新边界超出了{cellLabel(a)}和{cellLabel(b)}的范围 (the new edge leaves the two cells).");
        var inside = faces.Where(p => union.Covers(p.InteriorPoint)).ToList();

        var partsA = new List<Geometry>(); var partsB = new List<Geometry>();
        foreach (var face in inside)
        {
            var la = Length(face.Boundary, onlyA); var lb = Length(face.Boundary, onlyB);
            if (la == 0 && lb == 0) (OverlayNGRobust.Overlay(face, cellA, SpatialFunction.Intersection).Area >= face.Area / 2 ? partsA : partsB).Add(face);
            else (la >= lb ? partsA : partsB).Add(face);
        }
        // A cell may already be in pieces (its territories touch only at a point); the edge must not add pieces.
        var newA = Pieces(partsA, f, cellLabel(a), cellA.NumGeometries);
        var newB = Pieces(partsB, f, cellLabel(b), cellB.NumGeometries);

        var moved = new List<int>();
        var placed = new List<PlanUnit>(units.Count);
        foreach (var u in units)
        {
            if (u.Cell != a && u.Cell != b) throw new ArgumentException($"compound {u.Id} is in cell {u.Cell}, not in {a} or {b}.");
            var fpArea = u.Footprint.Area;
            var inA = fpArea > 0 ? OverlayNGRobust.Overlay(u.Footprint, newA, SpatialFunction.Intersection).Area / fpArea : newA.Covers(u.Footprint.InteriorPoint) ? 1 : 0;
            int cell;
            if (inA >= 0.999) cell = a;
            else if (inA <= 0.001) cell = b;
            else throw new RuleViolation(RuleCodes.EdgeSplitsCompound, $"新边界穿过小区 {u.Label}，小区必须整体归属一个网格 (the edge would split a compound).");
            if (cell != u.Cell) moved.Add(u.Id);
            placed.Add(new PlanUnit(u.Id, u.Households, u.Footprint, u.Territory, cell, u.Parent, u.Name));
        }
        if (!placed.Any(u => u.Cell == a)) throw new RuleViolation(RuleCodes.CellWouldBeEmpty, $"{cellLabel(a)}将没有小区 (the cell would have no compounds).");
        if (!placed.Any(u => u.Cell == b)) throw new RuleViolation(RuleCodes.CellWouldBeEmpty, $"{cellLabel(b)}将没有小区 (the cell would have no compounds).");

        var result = new List<PlanUnit>(placed.Count);
        foreach (var (cell, poly) in new[] { (a, newA), (b, newB) })
        {
            var members = placed.Where(u => u.Cell == cell).ToList();
            var terr = members.ToDictionary(u => u.Id, u => Polygonal(OverlayNGRobust.Overlay(u.Territory, poly, SpatialFunction.Intersection)));
            var covered = OverlayNGRobust.Union(f.BuildGeometry(terr.Values.Where(t => !t.IsEmpty).ToList()));
            var rest = Polygonal(OverlayNGRobust.Overlay(poly, Polygonal(covered), SpatialFunction.Difference));
            for (var i = 0; i < rest.NumGeometries; i++)
            {
                if (rest.GetGeometryN(i) is not Polygon piece || piece.Area <= 0) continue;
                // Give the piece to the compound whose territory it borders most (nearest footprint if none borders it).
                var best = members.OrderByDescending(m => Length(piece.Boundary, terr[m.Id].Boundary))
                    .ThenBy(m => m.Footprint.Distance(piece)).First();
                terr[best.Id] = Polygonal(OverlayNGRobust.Union(f.BuildGeometry([terr[best.Id], piece])));
            }
            foreach (var m in members) result.Add(new PlanUnit(m.Id, m.Households, m.Footprint, Valid(Polygonal(terr[m.Id])), m.Cell, m.Parent, m.Name));
        }
        return new EdgeRedraw(newA, newB, result, moved);
    }

    private static double Length(Geometry a, Geometry b)
    {
        if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal)) return 0;
        var x = OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection);
        return x.Dimension == Dimension.Curve || x is GeometryCollection ? x.Length : 0;
    }

    private static Geometry Pieces(List<Geometry> parts, GeometryFactory f, string label, int before)
    {
        if (parts.Count == 0) throw new RuleViolation(RuleCodes.CellWouldBeEmpty, $"{label}将被新边界完全覆盖 (the cell would vanish).");
        var g = Polygonal(OverlayNGRobust.Union(f.BuildGeometry(parts)));
        if (g.NumGeometries <= Math.Max(1, before)) return Valid(g);
        throw new RuleViolation(RuleCodes.WouldSplitCell, $"新边界会把{label}分成 {g.NumGeometries} 块，网格必须连成一片 (the edge would split the cell into pieces).");
    }

    /// <summary>A valid copy (overlays in floating point can leave a self-touching ring; the store requires valid polygons).</summary>
    private static Geometry Valid(Geometry g) => g.IsValid ? g : Polygonal(NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(g));

    /// <summary>The polygons of an overlay result (dropping the lines and points an intersection can add).</summary>
    private static Geometry Polygonal(Geometry g)
    {
        if (g is Polygon or MultiPolygon) return g;
        var polys = new List<Polygon>();
        void Collect(Geometry x)
        {
            if (x is Polygon p) { if (p.Area > 0) polys.Add(p); }
            else if (x is GeometryCollection gc) for (var i = 0; i < gc.NumGeometries; i++) Collect(gc.GetGeometryN(i));
        }
        Collect(g);
        return polys.Count == 1 ? polys[0] : g.Factory.CreateMultiPolygon(polys.ToArray());
    }
}
