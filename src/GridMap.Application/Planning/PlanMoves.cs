using GridMap.Domain.Planning;
using GridMap.Domain.Rules;
using GridMap.Storage;
using GridMap.Storage.Planning;
using Npgsql;

namespace GridMap.Application.Planning;

/// <summary>
/// One cell a compound could move into, as the planner sees it before moving: the target's code, name and households, both
/// cells' households after the move and where each then stands against the window (<c>within | below | above</c>), the fit
/// (<c>both-within</c> green, <c>closer</c> amber, <c>out-of-window</c> red; see <see cref="MoveEffect"/>), and — when a
/// rule refuses the move (a locked cell, nesting, a split cell, the cell's last compound) — the rule's code and why (zh-CN
/// first, English in brackets).
/// </summary>
public sealed record MoveOption(int ToCell, string Code, string Name, int ToHouseholds, int FromAfter, int ToAfter,
    string FromSide, string ToSide, string Fit, bool Allowed, string? Rule, string? Reason);

/// <summary>
/// The cells compound <see cref="CompoundId"/> may move into, best fit first (allowed moves before refused ones, then
/// <see cref="MoveEffect.BestFirst"/>): only neighbours — cells it borders, not across an arterial road the plan keeps — with
/// its households, its cell (index, code, households) and the plan's window; <see cref="Editable"/> is false unless the
/// plan is a preview.
/// </summary>
public sealed record MoveOptions(long PlanId, int CompoundId, string Name, int Households, int FromCell, string FromCode, int FromHouseholds,
    double LowerBound, double UpperBound, bool Editable, IReadOnlyList<MoveOption> Targets);

/// <summary>
/// The move preview: what moving a compound would do, asked of every neighbouring cell, without writing anything (one read
/// transaction, rolled back). The rules are <see cref="PlanEditor.MoveViolation"/>'s — the same the move itself checks — so a
/// target shown as allowed is one <see cref="PlanEditing.MoveCompoundAsync"/> accepts on the plan as read.
/// </summary>
public sealed class PlanMoves(PlanQueries plans, NpgsqlDataSource db)
{
    public async Task<MoveOptions> OptionsAsync(long planId, int compoundId, CancellationToken ct = default)
    {
        var plan = await PlanGuards.PlanAsync(plans, planId, ct);
        await using var s = await DbSession.BeginAsync(db, ct);
        var from = await PlanRepository.CompoundCellAsync(s, planId, compoundId, ct)
            ?? throw new KeyNotFoundException($"小区 {compoundId} 不在方案 {planId} 中 (compound {compoundId} is not in plan {planId}).");
        var near = await PlanRepository.NeighbourCellsAsync(s, planId, compoundId, ct);
        int[] cells = [from, .. near];
        var state = await PlanRepository.CellsAsync(s, planId, ct);
        var units = await PlanRepository.UnitsAsync(s, planId, cells, ct);
        var edges = await PlanRepository.AdjacencyAsync(s, planId, cells, plan.Params.Barriers, ct);
        var locked = state.Where(c => c.Value.Locked).Select(c => c.Key).ToHashSet();
        var stats = plan.Cells.ToDictionary(c => c.Idx);
        var me = units.First(u => u.Id == compoundId);

        var candidates = new List<(MoveEffect Effect, RuleViolation? Violation)>();
        foreach (var to in near)
        {
            var violation = PlanEditor.MoveViolation(units, edges, locked, compoundId, to, plan.Params.Nest, c => PlanGuards.Label(state, c));
            // Bordering only across a road the plan keeps as a barrier: not a neighbour for a move.
            if (violation?.Code == RuleCodes.NotAdjacent) continue;
            candidates.Add((new MoveEffect(to, me.Households, stats[from].Households, stats[to].Households, plan.LowerBound, plan.UpperBound), violation));
        }
        var order = MoveEffect.BestFirst(candidates.Select(c => c.Effect)).Select((e, i) => (e.ToCell, i)).ToDictionary(x => x.ToCell, x => x.i);
        var targets = candidates.OrderBy(c => c.Violation is null ? 0 : 1).ThenBy(c => order[c.Effect.ToCell]).Select(c =>
        {
            var e = c.Effect;
            var cell = stats[e.ToCell];
            return new MoveOption(e.ToCell, cell.Code, cell.Name, cell.Households, (int)Math.Round(e.FromAfter), (int)Math.Round(e.ToAfter),
                SideName(e.FromSide), SideName(e.ToSide), FitName(e.Fit), c.Violation is null, c.Violation?.Code, c.Violation?.Message);
        }).ToList();
        return new MoveOptions(planId, compoundId, me.Name ?? $"#{compoundId}", (int)Math.Round(me.Households), from, stats[from].Code, stats[from].Households,
            plan.LowerBound, plan.UpperBound, plan.Status == "preview", targets);
    }

    private static string SideName(WindowSide side) => side switch { WindowSide.Below => "below", WindowSide.Above => "above", _ => "within" };

    private static string FitName(MoveFit fit) => fit switch { MoveFit.BothWithin => "both-within", MoveFit.Closer => "closer", _ => "out-of-window" };
}
