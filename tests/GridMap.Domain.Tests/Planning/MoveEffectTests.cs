using CsCheck;
using GridMap.Domain.Planning;

namespace GridMap.Domain.Tests.Planning;

/// <summary>What a compound move does to the two cells against the 300–500 window: the households after it, which side of
/// the window each cell ends on, and the fit colour (green / amber / red) the planner sees before making it.</summary>
public class MoveEffectTests
{
    private static MoveEffect Move(double hh, double from, double to, int toCell = 1) => new(toCell, hh, from, to, 300, 500);

    [Fact]
    public void Move_KeepingBothCellsInTheWindow_IsBothWithin()
    {
        var m = Move(80, 450, 390);
        Assert.Equal(370, m.FromAfter);
        Assert.Equal(470, m.ToAfter);
        Assert.Equal(MoveFit.BothWithin, m.Fit);
    }

    [Fact]
    public void Move_PushingBothCellsOutOfTheWindow_IsOutOfWindow_NeverBothWithin()
    {
        // The case: 593 and 296 households after a move out of two cells that were inside 300–500.
        var m = Move(97, 393, 496);
        Assert.Equal(296, m.FromAfter);
        Assert.Equal(593, m.ToAfter);
        Assert.Equal(WindowSide.Below, m.FromSide);
        Assert.Equal(WindowSide.Above, m.ToSide);
        Assert.Equal(MoveFit.OutOfWindow, m.Fit);
    }

    [Fact]
    public void Move_FromAnOversizeCellTowardsTheWindow_IsCloser_NotBothWithin()
    {
        var m = Move(60, 580, 350); // 520 and 410 after: still above, but 20 over instead of 80
        Assert.Equal(WindowSide.Above, m.FromSide);
        Assert.Equal(WindowSide.Within, m.ToSide);
        Assert.Equal(MoveFit.Closer, m.Fit);
    }

    [Fact]
    public void BestFirst_PutsTheMoveThatKeepsBothInTheWindowFirst_ThenCloser_ThenOut()
    {
        var ranked = MoveEffect.BestFirst([Move(100, 450, 480, toCell: 1), Move(100, 450, 320, toCell: 2), Move(100, 450, 420, toCell: 3)]);
        Assert.Equal([2, 3, 1], ranked.Select(m => m.ToCell));
        Assert.Equal(MoveFit.BothWithin, ranked[0].Fit);
        Assert.Equal(MoveFit.OutOfWindow, ranked[^1].Fit);
    }

    [Fact]
    public void Fit_Property_GreenOnlyWhenBothAfterAreInsideTheWindow_AndCloserOnlyWhenExcessShrinks()
    {
        Gen.Select(Gen.Int[0, 400], Gen.Int[1, 900], Gen.Int[1, 900]).Sample((hh, from, to) =>
        {
            var m = Move(hh, from + hh, to);
            var inside = (double x) => x >= 300 && x <= 500;
            Assert.Equal(inside(m.FromAfter) && inside(m.ToAfter), m.Fit == MoveFit.BothWithin);
            if (m.Fit == MoveFit.Closer) Assert.True(m.ExcessAfter < m.ExcessBefore);
            Assert.Equal(m.FromBefore + m.ToBefore, m.FromAfter + m.ToAfter);
        });
    }
}
