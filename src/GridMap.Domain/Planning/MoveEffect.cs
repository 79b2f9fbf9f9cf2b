namespace GridMap.Domain.Planning;

/// <summary>Where a cell's households stand against the plan's window [lower, upper].</summary>
public enum WindowSide
{
    Within,
    Below,
    Above,
}

/// <summary>How a move leaves the two cells it changes, for the planner's colours: <see cref="BothWithin"/> (green),
/// <see cref="Closer"/> (amber: a cell stays outside the window, but fewer households lie outside it than before),
/// <see cref="OutOfWindow"/> (red: a cell ends outside the window and the move does not bring the plan closer to it).</summary>
public enum MoveFit
{
    BothWithin,
    Closer,
    OutOfWindow,
}

/// <summary>
/// The effect of moving a compound of <see cref="Households"/> (≥ 0) households from one cell to <see cref="ToCell"/>:
/// both cells' households before and after, where each stands against the window after, and the households outside the
/// window over the two cells before and after (<see cref="Excess"/>: how far below the lower bound plus how far above the
/// upper bound). Balance never refuses a move (planners may move first and rebalance after); this only says what it does.
/// </summary>
public sealed record MoveEffect(int ToCell, double Households, double FromBefore, double ToBefore, double Lower, double Upper)
{
    public double FromAfter => FromBefore - Households;
    public double ToAfter => ToBefore + Households;
    public WindowSide FromSide => Side(FromAfter, Lower, Upper);
    public WindowSide ToSide => Side(ToAfter, Lower, Upper);
    /// <summary>Households outside the window over both cells before the move.</summary>
    public double ExcessBefore => Excess(FromBefore, Lower, Upper) + Excess(ToBefore, Lower, Upper);
    /// <summary>Households outside the window over both cells after the move.</summary>
    public double ExcessAfter => Excess(FromAfter, Lower, Upper) + Excess(ToAfter, Lower, Upper);

    public MoveFit Fit => FromSide == WindowSide.Within && ToSide == WindowSide.Within ? MoveFit.BothWithin
        : ExcessAfter < ExcessBefore - 1e-9 ? MoveFit.Closer
        : MoveFit.OutOfWindow;

    /// <summary>Where <paramref name="households"/> stands against [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    public static WindowSide Side(double households, double lower, double upper) =>
        households < lower - 1e-9 ? WindowSide.Below : households > upper + 1e-9 ? WindowSide.Above : WindowSide.Within;

    /// <summary>Households below the lower bound or above the upper bound (0 inside the window).</summary>
    public static double Excess(double households, double lower, double upper) =>
        Math.Max(0, lower - households) + Math.Max(0, households - upper);

    /// <summary>
    /// Best fit first: moves that keep both cells in the window, then those that bring the two cells closer to it, then the
    /// rest; within each, fewer households outside the window after the move, then the two cells nearer the window's middle
    /// (the larger of the two distances from it), then the cell index (stable).
    /// </summary>
    public static IReadOnlyList<MoveEffect> BestFirst(IEnumerable<MoveEffect> moves)
    {
        ArgumentNullException.ThrowIfNull(moves);
        return moves.OrderBy(m => m.Fit).ThenBy(m => m.ExcessAfter).ThenBy(m => m.Spread).ThenBy(m => m.ToCell).ToList();
    }

    private double Spread
    {
        get
        {
            var mid = (Lower + Upper) / 2;
            return Math.Max(Math.Abs(FromAfter - mid), Math.Abs(ToAfter - mid));
        }
    }
}
