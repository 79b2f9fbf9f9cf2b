using GridMap.Domain.Partitioning;
using GridMap.Domain.Partitioning.Search;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>The balance repair of the engine (the 22,500-unit large-instance case is a benchmark: `scripts/bench partition`).</summary>
public class PartitionSearchTests
{
    [Fact]
    public void UnchangedInPass_AnswersAsUnchangedAround_ThroughRandomMoves()
    {
        // A 30 × 30 grid in 12 cells and passes of random moves (some undone at once, as swap attempts are). The watched
        // answer must be the full test's, or a pass would skip a unit it should look at (or look at one it would skip).
        var g = UnitGraphBuilder.Build(TestGrids.Squares(900, 1));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var state = new PartitionState(sub, 12, 0, double.MaxValue, cutObjective: false, seed: 5);
        state.Load(Enumerable.Range(0, g.Count).Select(u => (u % 30) / 10 + 3 * ((u / 30) / 8 % 4)).ToArray());
        var rng = new Random(9);
        var seen = new long[g.Count];
        Array.Fill(seen, -1L);
        var skipped = 0;
        for (var pass = 0; pass < 12; pass++)
        {
            // As a pass does: units in random order, each asked once (with the stamp it had when the pass began); one not
            // skipped takes the current stamp and sometimes moves across a border, sometimes back at once (a swap attempt).
            var order = Enumerable.Range(0, g.Count).ToArray();
            rng.Shuffle(order);
            var visited = new bool[g.Count];
            state.BeginPass(seen);
            try
            {
                for (var i = 0; i < order.Length; i++)
                {
                    var u = order[i];
                    visited[u] = true;
                    var same = state.UnchangedAround(u, seen[u]);
                    Assert.Equal(same, state.UnchangedInPass(u, seen[u]));
                    if (same) { skipped++; continue; }
                    seen[u] = state.Clock;
                    var across = Enumerable.Range(sub.Off[u], sub.Off[u + 1] - sub.Off[u]).Select(e => state.Cell[sub.Nbr[e]]).FirstOrDefault(c => c != state.Cell[u], -1);
                    if (across < 0 || rng.Next(pass < 4 ? 3 : 40) != 0) continue;
                    var from = state.Cell[u];
                    switch (rng.Next(3))
                    {
                        case 0: state.Move(u, across); state.Move(u, from); break;
                        case 1: state.Undo(state.TryMove(u, across)); break; // a swap given up
                        default: state.Move(u, across); break;
                    }
                    // Every unit still to come answers as the full test would, now.
                    for (var v = 0; v < g.Count; v++)
                        if (!visited[v]) Assert.Equal(state.UnchangedAround(v, seen[v]), state.UnchangedInPass(v, seen[v]));
                }
            }
            finally { state.EndPass(); }
        }
        Assert.True(skipped > 2_000, $"only {skipped} units skipped: the test would not see a wrong skip");
    }

    [Fact]
    public void TryMoveThenUndo_LeavesTheStateAsIfNeverTried_ToTheBit()
    {
        // Two states make the same real moves; one also tries moves and undoes them between. After every step both must be
        // the same to the bit — cells, totals, member lists in order, change stamps — and so must everything they do next.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(900, 1));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var start = Enumerable.Range(0, g.Count).Select(u => (u % 30) / 10 + 3 * ((u / 30) / 8 % 4)).ToArray();
        PartitionState Make() { var st = new PartitionState(sub, 12, 0, double.MaxValue, cutObjective: false, seed: 5); st.Load(start); return st; }
        var plain = Make(); var tried = Make();
        var rng = new Random(4);
        int Across(PartitionState st, int u) =>
            Enumerable.Range(sub.Off[u], sub.Off[u + 1] - sub.Off[u]).Select(e => st.Cell[sub.Nbr[e]]).FirstOrDefault(c => c != st.Cell[u], -1);
        var undone = 0;
        for (var step = 0; step < 20_000; step++)
        {
            var u = rng.Next(g.Count);
            var b = Across(plain, u);
            if (b < 0 || plain.Cn[plain.Cell[u]] <= 1) continue;
            if (rng.Next(2) == 0)
            {
                var changedBefore = tried.Changed.ToArray();
                var trial = tried.TryMove(u, b);
                Assert.Equal(b, tried.Cell[u]);
                tried.Undo(trial);
                Assert.Equal(changedBefore, tried.Changed);
                undone++;
            }
            else { plain.Move(u, b); tried.Move(u, b); }
            Assert.Equal(plain.Cell, tried.Cell);
            Assert.Equal(plain.Cn, tried.Cn);
            Assert.Equal(plain.Cw.Select(BitConverter.DoubleToInt64Bits), tried.Cw.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(plain.Ca.Select(BitConverter.DoubleToInt64Bits), tried.Ca.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(plain.Cp.Select(BitConverter.DoubleToInt64Bits), tried.Cp.Select(BitConverter.DoubleToInt64Bits));
            for (var c = 0; c < 12; c++) Assert.Equal(plain.Members[c], tried.Members[c]);
        }
        Assert.True(undone > 1_000, $"only {undone} moves tried and undone");
    }

    [Fact]
    public void PowerDiagramNearest_IsTheFirstLeastInOrder_WithOrWithoutVectors()
    {
        // Candidates on a coarse grid with coarse ψ so that ties are common: the vector path must pick the same (first) one.
        var rng = new Random(3);
        for (var round = 0; round < 20_000; round++)
        {
            var n = rng.Next(0, 40);
            var cx = new double[n + 3]; var cy = new double[n + 3]; var psi = new double[n + 3]; var ids = new int[n + 3];
            for (var j = 0; j < cx.Length; j++) { cx[j] = rng.Next(5); cy[j] = rng.Next(5); psi[j] = rng.Next(3); ids[j] = 100 + j; }
            var start = rng.Next(3);
            double x = rng.Next(5), y = rng.Next(5);
            var expected = -1; var bestD = double.PositiveInfinity;
            for (var j = start; j < start + n; j++)
            {
                var d = (x - cx[j]) * (x - cx[j]) + (y - cy[j]) * (y - cy[j]) - psi[j];
                if (d < bestD) { bestD = d; expected = ids[j]; }
            }
            Assert.Equal(expected, Seeding.Nearest(x, y, start, start + n, cx, cy, psi, ids, -1));
        }
    }

    [Fact]
    public void ChainRepair_MovesWeightThroughFullCells_WhereSingleMovesCannot()
    {
        // A strip of 20 squares of weight 1 in 4 cells of 4–6: cell 0 holds 7, cell 1 holds 6 (full), cell 2 holds 4,
        // cell 3 holds 3. Moving one unit from 0 to 1 only shifts the excess, so balance moves alone are stuck; the
        // excess has to travel 0 → 1 → 2 and the deficit be pulled 2 → 3.
        var g = UnitGraphBuilder.Build(TestGrids.Squares(20, 1));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var search = new PartitionSearch(sub, 4, 4, 6, cutObjective: false, seed: 1);
        var sizes = new[] { 7, 6, 4, 3 };
        var start = sizes.SelectMany((s, c) => Enumerable.Repeat(c, s)).ToArray();
        search.Load(start);
        Assert.False(search.IsBalanced());
        Assert.Equal(0, search.MovePass(balanceOnly: true));

        search.ChainRepair(4, () => false);

        Assert.True(search.IsBalanced(), $"violation left: {search.TotalViolation()}");
        Assert.True(search.AllContiguous());
        var counts = Enumerable.Range(0, 4).Select(c => search.Cell.Count(x => x == c)).ToArray();
        Assert.All(counts, n => Assert.InRange(n, 4, 6));
        // A chain moves units only at the borders it passes: the first units of the strip stay in cell 0.
        Assert.All(Enumerable.Range(0, 5), u => Assert.Equal(0, search.Cell[u]));
    }

    [Fact]
    public void ChainRepair_ChangesNothing_WhenNoCellHasRoom()
    {
        // Two cells of 4–4.5 over 9 units of weight 1: cell 0 holds 5, cell 1 holds 4 and has room for half a unit.
        // No hand-over can help, so the plan must stay exactly as it was (no half-done chain).
        var g = UnitGraphBuilder.Build(TestGrids.Squares(9, 1));
        var sub = new SubProblem(g, Enumerable.Range(0, g.Count).ToList());
        var search = new PartitionSearch(sub, 2, 4, 4.5, cutObjective: false, seed: 1);
        var start = new[] { 0, 0, 0, 0, 0, 1, 1, 1, 1 };
        search.Load(start);
        search.ChainRepair(4, () => false);
        Assert.Equal(start, search.Cell);
        Assert.Equal(0.5, search.TotalViolation(), 9);
    }
}
