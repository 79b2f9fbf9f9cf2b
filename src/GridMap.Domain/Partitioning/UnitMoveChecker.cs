using GridMap.Domain.Graphs;

namespace GridMap.Domain.Partitioning;

/// <summary>The rule a hand edit would break (or <see cref="Allowed"/>).</summary>
public enum MoveRule
{
    Allowed,
    /// <summary>The unit is already in the target cell.</summary>
    AlreadyInCell,
    /// <summary>The unit's own cell is locked.</summary>
    CellLocked,
    /// <summary>The target cell is locked.</summary>
    TargetLocked,
    /// <summary>Nesting: the target cell holds units of another parent area.</summary>
    OtherParent,
    /// <summary>The unit does not border the target cell through a connecting edge.</summary>
    NotAdjacent,
    /// <summary>The unit is its cell's last.</summary>
    LastUnit,
    /// <summary>The rest of the unit's cell would not be connected.</summary>
    SplitsCell,
}

/// <summary>Whether a hand edit — moving one unit to another cell — keeps the plan valid, and if not, which rule and why.</summary>
public sealed record MoveCheck(bool Allowed, string? Reason)
{
    public static readonly MoveCheck Ok = new(true, null);
    /// <summary>The rule broken (<see cref="MoveRule.Allowed"/> when allowed).</summary>
    public MoveRule Rule { get; init; }
}

/// <summary>
/// The rules of a planner's move of one unit (compound) to a neighbouring cell, in one place for the engine's graph
/// and the planner's stored plans (<see cref="Planning.PlanEditor.CheckMove"/>): neither cell may be locked, with
/// nesting the target must lie in the unit's parent area, the target must touch the unit through a connecting edge
/// (not across a barrier, unless that crossing is allowed), the unit may not be its cell's last, and the rest of its
/// cell must stay connected. Balance is reported by the evaluator, not refused here: planners may move first and
/// rebalance after.
/// </summary>
public static class UnitMoveChecker
{
    /// <summary>Checks a move on the engine's graph (connecting edges only).</summary>
    public static MoveCheck Check(UnitGraph graph, IReadOnlyList<int> assignment, int unit, int toCell, IReadOnlySet<int>? lockedCells = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (assignment.Count != graph.Count) throw new ArgumentException($"plan has {assignment.Count} entries for {graph.Count} units.");
        return Check(assignment, u => graph.Neighbours(u).Where(x => x.IsConnected).Select(x => x.Neighbour), unit, toCell, lockedCells,
            label: i => graph.Ids[i]);
    }

    /// <summary>
    /// Checks moving unit <paramref name="unit"/> (0-based, into <paramref name="assignment"/>) to <paramref name="toCell"/>.
    /// <paramref name="neighbours"/> lists the units connected to a unit; <paramref name="parents"/> (nesting) the parent area
    /// of each unit, or null; <paramref name="label"/> names a unit in the reason.
    /// </summary>
    public static MoveCheck Check(IReadOnlyList<int> assignment, Func<int, IEnumerable<int>> neighbours, int unit, int toCell,
        IReadOnlySet<int>? lockedCells = null, IReadOnlyList<string?>? parents = null, Func<int, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(neighbours);
        if (unit < 0 || unit >= assignment.Count) throw new ArgumentOutOfRangeException(nameof(unit), $"unit {unit} does not exist.");
        static MoveCheck No(MoveRule rule, string reason) => new(false, reason) { Rule = rule };
        var from = assignment[unit];
        var id = label?.Invoke(unit) ?? unit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (from == toCell) return No(MoveRule.AlreadyInCell, $"unit '{id}' is already in cell {toCell}.");
        if (lockedCells is not null && lockedCells.Contains(from)) return No(MoveRule.CellLocked, $"cell {from} is locked.");
        if (lockedCells is not null && lockedCells.Contains(toCell)) return No(MoveRule.TargetLocked, $"cell {toCell} is locked.");
        if (parents is not null && Enumerable.Range(0, assignment.Count).Any(v => assignment[v] == toCell && parents[v] != parents[unit]))
            return No(MoveRule.OtherParent, $"nesting: cell {toCell} lies outside unit '{id}''s parent area {parents[unit]}.");
        if (!neighbours(unit).Any(v => assignment[v] == toCell))
            return No(MoveRule.NotAdjacent, $"unit '{id}' does not border cell {toCell} (or only across a barrier).");
        var rest = Enumerable.Range(0, assignment.Count).Where(v => v != unit && assignment[v] == from).ToList();
        if (rest.Count == 0) return No(MoveRule.LastUnit, $"unit '{id}' is the last unit of cell {from}; a cell cannot be empty.");
        // The rest of the old cell must stay one piece; what is not in the piece of its first unit is cut off.
        var pieces = Connectivity.Components(rest, neighbours);
        return pieces.Count == 1 ? MoveCheck.Ok
            : No(MoveRule.SplitsCell, $"moving unit '{id}' would split cell {from} into parts ({rest.Count - pieces[0].Count} unit(s) cut off).");
    }
}
