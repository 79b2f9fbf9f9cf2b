using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Domain.Planning;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Planning;

namespace GridMap.Application.Planning;

/// <summary>
/// Editing a preview by hand: moving a compound to a neighbouring cell, locking cells, redrawing the edge two cells
/// share. The rules are <see cref="PlanEditor"/>'s (each refusal a <see cref="RuleViolation"/> with a stable code);
/// contiguity is checked with the plan's roads (<see cref="PlanRepository.AdjacencyAsync"/>). Every edit is one write
/// through the <see cref="WritePipeline"/> with the plan row locked, so a refused edit leaves nothing behind; the result
/// carries the plan as it is afterwards.
/// </summary>
public sealed class PlanEditing(WritePipeline pipeline, PlanQueries plans)
{
    /// <summary>Moves a compound to a neighbouring cell (rules: <see cref="PlanEditor.CheckMove"/>); the cells' polygons are
    /// rebuilt from their compounds' territories and the target's contiguity recorded.</summary>
    public async Task<MoveResult> MoveCompoundAsync(MoveCompoundRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (id, compoundId, toCell) = request;
        var from = await pipeline.RunAsync(new WriteSpec("planning.move-compound", $"plan:{id}") { Resource = ResourceRef.Plan(id) }, async s =>
        {
            var plan = await PlanGuards.LockEditableAsync(s, id, ct);
            var from = await PlanRepository.CompoundCellAsync(s, id, compoundId, ct)
                ?? throw new KeyNotFoundException($"小区 {compoundId} 不在方案 {id} 中 (compound {compoundId} is not in plan {id}).");
            var cells = await PlanGuards.CellsAsync(s, id, [toCell], ct);
            var units = await PlanRepository.UnitsAsync(s, id, [from, toCell], ct);
            var edges = await PlanRepository.AdjacencyAsync(s, id, [from, toCell], plan.Barriers, ct);
            PlanEditor.CheckMove(units, edges, cells.Where(c => c.Value.Locked).Select(c => c.Key).ToHashSet(), compoundId, toCell, plan.Nest,
                c => PlanGuards.Label(cells, c));
            await PlanRepository.SetCompoundCellAsync(s, id, compoundId, toCell, ct);
            await PlanRepository.RebuildCellAreasAsync(s, id, [from, toCell], ct);
            // The cell left stays contiguous (CheckMove refused a split); the target may join a part across a road.
            var toMembers = units.Where(u => u.Cell == toCell).Select(u => u.Id).Append(compoundId).ToList();
            await PlanRepository.SetContiguousAsync(s, id, [from], true, ct);
            await PlanRepository.SetContiguousAsync(s, id, [toCell], PlanEditor.IsContiguous(toMembers, edges), ct);
            s.Changed("compound", compoundId, PlanGuards.CompoundCell(id, cells, from), PlanGuards.CompoundCell(id, cells, toCell));
            await PlanGuards.RecordCellAreasAsync(s, id, cells, [from, toCell], ct);
            return from;
        }, ct);
        return new MoveResult(true, compoundId, from, toCell, await PlanGuards.PlanAsync(plans, id, ct));
    }

    /// <summary>Locks or unlocks a cell (a locked cell keeps its compounds and shape); returns the plan.</summary>
    public async Task<PlanDetail> LockCellAsync(LockCellRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (id, idx, locked) = request;
        await pipeline.RunAsync(new WriteSpec(locked ? "planning.lock-cell" : "planning.unlock-cell", $"plan:{id}") { Resource = ResourceRef.Plan(id) }, async s =>
        {
            await PlanGuards.LockEditableAsync(s, id, ct);
            var cells = await PlanGuards.CellsAsync(s, id, [idx], ct);
            await PlanRepository.SetLockedAsync(s, id, idx, locked, ct);
            s.Changed("cell", PlanGuards.CellId(id, idx), new { code = cells[idx].Code, locked = cells[idx].Locked }, new { code = cells[idx].Code, locked });
        }, ct);
        return await PlanGuards.PlanAsync(plans, id, ct);
    }

    /// <summary>Redraws the edge cells A and B share (rules: <see cref="PlanEditor.RedrawEdge"/>, neither cell locked, then both
    /// cells must stay contiguous through the plan's roads); returns the compounds that changed cell and the plan.</summary>
    public async Task<RedrawResult> RedrawEdgeAsync(RedrawEdgeRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (id, a, b, edge) = request;
        ArgumentNullException.ThrowIfNull(edge);
        if (a == b) throw new ArgumentException("边界由两个不同的网格共有 (an edge is shared by two different cells).");
        var reassigned = await pipeline.RunAsync(new WriteSpec("planning.redraw-edge", $"plan:{id}") { Resource = ResourceRef.Plan(id) }, async s =>
        {
            var plan = await PlanGuards.LockEditableAsync(s, id, ct);
            var cells = await PlanGuards.CellsAsync(s, id, [a, b], ct);
            foreach (var c in new[] { a, b })
                RuleViolation.Require(!cells[c].Locked, RuleCodes.CellLocked, $"{PlanGuards.Label(cells, c)} 已锁定，不能修改边界 (cell is locked).");
            var units = await PlanRepository.UnitsAsync(s, id, [a, b], ct);
            // 1e-6° ≈ 0.1 m: the client's ends, projected to the screen and back, land within a few nanodegrees.
            var redraw = PlanEditor.RedrawEdge(cells[a].Area, cells[b].Area, a, b, edge, units, 1e-6, c => PlanGuards.Label(cells, c));
            await PlanRepository.ApplyRedrawAsync(s, id, redraw.Units, [(a, redraw.CellA), (b, redraw.CellB)], ct);
            // Contiguity through the roads needs the rows just written; a split cell refuses the edit and rolls it all back.
            var edges = await PlanRepository.AdjacencyAsync(s, id, [a, b], plan.Barriers, ct);
            foreach (var c in new[] { a, b })
                PlanEditor.EnsureContiguous(redraw.Units.Where(u => u.Cell == c).Select(u => u.Id).ToList(), edges, PlanGuards.Label(cells, c));
            var was = units.ToDictionary(u => u.Id, u => u.Cell);
            foreach (var u in redraw.Units.Where(u => was.TryGetValue(u.Id, out var old) && old != u.Cell))
                s.Changed("compound", u.Id, PlanGuards.CompoundCell(id, cells, was[u.Id]), PlanGuards.CompoundCell(id, cells, u.Cell));
            await PlanGuards.RecordCellAreasAsync(s, id, cells, [a, b], ct);
            return redraw.Reassigned;
        }, ct);
        return new RedrawResult(true, reassigned, await PlanGuards.PlanAsync(plans, id, ct));
    }
}
