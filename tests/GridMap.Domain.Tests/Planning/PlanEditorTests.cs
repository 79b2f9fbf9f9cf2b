using GridMap.Domain.Rules;
using GridMap.Domain.Planning;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Domain.Tests.Planning;

/// <summary>
/// The hand-editing rules on a 3×1 strip of unit squares (territories) holding small footprints:
///   cell 0 = units 1, 2 (x 0–2), cell 1 = unit 3 (x 2–3); plus a 2×2 case for edges. Geometry as WKT.
/// </summary>
public class PlanEditorTests
{
    private static readonly WKTReader Wkt = new();
    private static Geometry G(string wkt) => Wkt.Read(wkt);

    private static PlanUnit Unit(int id, double x0, double y0, int cell, double hh = 100, string? parent = null) => new(id, hh,
        G($"POLYGON(({x0 + 0.4} {y0 + 0.4}, {x0 + 0.6} {y0 + 0.4}, {x0 + 0.6} {y0 + 0.6}, {x0 + 0.4} {y0 + 0.6}, {x0 + 0.4} {y0 + 0.4}))"),
        G($"POLYGON(({x0} {y0}, {x0 + 1} {y0}, {x0 + 1} {y0 + 1}, {x0} {y0 + 1}, {x0} {y0}))"), cell, parent);

    private static readonly (int, int)[] StripEdges = [(1, 2), (2, 3)];

    [Fact]
    public void Move_ToAdjacentCell_IsAccepted()
    {
        var units = new[] { Unit(1, 0, 0, 0), Unit(2, 1, 0, 0), Unit(3, 2, 0, 1) };
        PlanEditor.CheckMove(units, StripEdges, new HashSet<int>(), compoundId: 2, toCell: 1, nest: false);
    }

    [Fact]
    public void Move_NotAdjacent_IsRejectedNamingIt()
    {
        var units = new[] { Unit(1, 0, 0, 0), Unit(2, 1, 0, 0), Unit(3, 2, 0, 1) };
        var e = Assert.Throws<RuleViolation>(() => PlanEditor.CheckMove(units, StripEdges, new HashSet<int>(), 1, 1, false));
        Assert.Equal(RuleCodes.NotAdjacent, e.Code);
    }

    [Fact]
    public void Move_ThatSplitsItsCell_IsRejected()
    {
        // cell 0 = 1, 2, 3 in a row; moving the middle one to cell 1 (unit 4 above it) leaves 1 and 3 apart.
        var units = new[] { Unit(1, 0, 0, 0), Unit(2, 1, 0, 0), Unit(3, 2, 0, 0), Unit(4, 1, 1, 1) };
        var e = Assert.Throws<RuleViolation>(() => PlanEditor.CheckMove(units, [(1, 2), (2, 3), (2, 4)], new HashSet<int>(), 2, 1, false));
        Assert.Equal(RuleCodes.WouldSplitCell, e.Code);
    }

    [Fact]
    public void Move_LastCompoundOrLockedCellOrOtherCommunity_IsRejected()
    {
        var units = new[] { Unit(1, 0, 0, 0, parent: "A"), Unit(2, 1, 0, 0, parent: "A"), Unit(3, 2, 0, 1, parent: "B") };
        Assert.Equal(RuleCodes.LastCompound, Assert.Throws<RuleViolation>(() => PlanEditor.CheckMove(units, StripEdges, new HashSet<int>(), 3, 0, false)).Code);
        Assert.Equal(RuleCodes.TargetLocked, Assert.Throws<RuleViolation>(() => PlanEditor.CheckMove(units, StripEdges, new HashSet<int> { 1 }, 2, 1, false)).Code);
        Assert.Equal(RuleCodes.OtherCommunity, Assert.Throws<RuleViolation>(() => PlanEditor.CheckMove(units, StripEdges, new HashSet<int>(), 2, 1, true)).Code);
        Assert.Throws<KeyNotFoundException>(() => PlanEditor.CheckMove(units, StripEdges, new HashSet<int>(), 9, 1, false));
    }

    // Two cells side by side: A = x 0–2 (units 1 at x 0–1, 2 at x 1–2), B = x 2–4 (units 3, 4); shared edge x = 2, y 0–1.
    private static (Geometry A, Geometry B, PlanUnit[] Units) TwoCells() => (
        G("POLYGON((0 0, 2 0, 2 1, 0 1, 0 0))"), G("POLYGON((2 0, 4 0, 4 1, 2 1, 2 0))"),
        [Unit(1, 0, 0, 0), Unit(2, 1, 0, 0), Unit(3, 2, 0, 1), Unit(4, 3, 0, 1)]);

    private static LineString Line(string wkt) => (LineString)G(wkt);

    [Fact]
    public void RedrawEdge_BentIntoB_GrowsA_ShrinksB_KeepsTheUnionAndEveryCompound()
    {
        var (a, b, units) = TwoCells();
        var r = PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0, 2.3 0.5, 2 1)"), units, 1e-9);
        Assert.Equal(2 + 0.15, r.CellA.Area, 9);
        Assert.Equal(2 - 0.15, r.CellB.Area, 9);
        Assert.True(r.CellA.Union(r.CellB).EqualsTopologically(a.Union(b)));
        Assert.Empty(r.Reassigned);
        // Territories still tile each cell exactly.
        foreach (var (cell, poly) in new[] { (0, r.CellA), (1, r.CellB) })
        {
            var union = r.Units.Where(u => u.Cell == cell).Select(u => u.Territory).Aggregate((x, y) => x.Union(y));
            Assert.Equal(poly.Area, union.Area, 9);
        }
    }

    [Fact]
    public void RedrawEdge_PastAFootprint_ReassignsThatCompound()
    {
        var (a, b, units) = TwoCells();
        // Push the edge to x = 3 (beyond compound 3's footprint at x 2.4–2.6).
        var r = PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0, 3 0, 3 1, 2 1)"), units, 1e-9);
        Assert.Equal([3], r.Reassigned);
        Assert.Equal(0, r.Units.Single(u => u.Id == 3).Cell);
        Assert.Equal(3, r.CellA.Area, 9);
    }

    [Fact]
    public void RedrawEdge_ThroughAFootprint_IsRejected()
    {
        var (a, b, units) = TwoCells();
        var e = Assert.Throws<RuleViolation>(() => PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0, 2.5 0.5, 2 1)"), units, 1e-9));
        Assert.Equal(RuleCodes.EdgeSplitsCompound, e.Code);
    }

    [Fact]
    public void RedrawEdge_WithLooseEndsOrOutsideTheCells_IsRejected()
    {
        var (a, b, units) = TwoCells();
        Assert.Equal(RuleCodes.EdgeEndsMismatch, Assert.Throws<RuleViolation>(() => PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0.1, 2.2 0.5, 2 1)"), units, 1e-9)).Code);
        Assert.Equal(RuleCodes.EdgeOutsideCells, Assert.Throws<RuleViolation>(() => PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0, 2.2 -0.5, 2 1)"), units, 1e-9)).Code);
        Assert.Equal(RuleCodes.EdgeSelfIntersects, Assert.Throws<RuleViolation>(() => PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0, 2.2 0.8, 2.2 0.2, 2.1 0.5, 2.3 0.5, 2 1)"), units, 1e-9)).Code);
    }

    [Fact]
    public void RedrawEdge_ThatWouldEmptyACell_IsRejected()
    {
        var (a, b, units) = TwoCells();
        // Wrap B's compounds into A: B keeps only a sliver along its far side with no compound in it.
        var e = Assert.Throws<RuleViolation>(() => PlanEditor.RedrawEdge(a, b, 0, 1, Line("LINESTRING(2 0, 3.9 0, 3.9 1, 2 1)"), units, 1e-9));
        Assert.Equal(RuleCodes.CellWouldBeEmpty, e.Code);
    }
}
