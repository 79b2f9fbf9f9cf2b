namespace GridMap.Domain.Partitioning;

/// <summary>Whether a hand edit — moving one unit to another cell — keeps the plan valid, and if not, why.</summary>
public sealed record MoveCheck(bool Allowed, string? Reason)
{
    public static readonly MoveCheck Ok = new(true, null);
}

/// <summary>
/// Checks a planner's move of one unit (compound) to a neighbouring cell: the target must touch the unit
/// through a connected edge (not across a barrier), neither cell may be locked, the unit may not be its
/// cell's last, and the cell it leaves must stay contiguous. Balance is reported by the evaluator, not
/// refused here: planners may move first and rebalance after.
/// </summary>
public static class UnitMoveChecker
{
    public static MoveCheck Check(UnitGraph graph, IReadOnlyList<int> assignment, int unit, int toCell, IReadOnlySet<int>? lockedCells = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (assignment.Count != graph.Count) throw new ArgumentException($"plan has {assignment.Count} entries for {graph.Count} units.");
        if (unit < 0 || unit >= graph.Count) throw new ArgumentOutOfRangeException(nameof(unit), $"unit {unit} does not exist.");
        var from = assignment[unit];
        var id = graph.Ids[unit];
        if (from == toCell) return new MoveCheck(false, $"unit '{id}' is already in cell {toCell}.");
        if (lockedCells is not null && lockedCells.Contains(from)) return new MoveCheck(false, $"cell {from} is locked.");
        if (lockedCells is not null && lockedCells.Contains(toCell)) return new MoveCheck(false, $"cell {toCell} is locked.");
        var touches = false;
        var sameCell = new List<int>();
        foreach (var (v, _, connected) in graph.Neighbours(unit))
        {
            if (!connected) continue;
            if (assignment[v] == toCell) touches = true;
            if (assignment[v] == from) sameCell.Add(v);
        }
        if (!touches) return new MoveCheck(false, $"unit '{id}' does not border cell {toCell} (or only across a barrier).");
        var remaining = assignment.Count(c => c == from) - 1;
        if (remaining == 0) return new MoveCheck(false, $"unit '{id}' is the last unit of cell {from}; a cell cannot be empty.");
        if (sameCell.Count == 0) return MoveCheck.Ok; // it was already detached: moving it cannot split the cell further
        // BFS inside the old cell without the unit: every other unit of the cell must still be reached.
        var seen = new HashSet<int> { unit, sameCell[0] };
        var stack = new Stack<int>([sameCell[0]]);
        var reached = 1;
        while (stack.Count > 0)
            foreach (var (v, _, connected) in graph.Neighbours(stack.Pop()))
                if (connected && assignment[v] == from && seen.Add(v)) { reached++; stack.Push(v); }
        return reached == remaining ? MoveCheck.Ok
            : new MoveCheck(false, $"moving unit '{id}' would split cell {from} into parts ({remaining - reached} unit(s) cut off).");
    }
}
