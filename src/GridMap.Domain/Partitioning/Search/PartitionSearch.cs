namespace GridMap.Domain.Partitioning.Search;

/// <summary>
/// The search for one <see cref="SubProblem"/>: K ≥ 1 cells with weights in [L, U] (the units' weight, e.g.
/// households), contiguous, maximising Σ Polsby-Popper (or minimising cut edges). A thin entry point over the stages,
/// which <see cref="CellPartitioner"/> calls in the order of a start:
/// <list type="number">
/// <item><see cref="Seeding"/> — recursive bisection, coordinate bisection, power diagram;</item>
/// <item><see cref="BalanceRepair"/> — balance moves, ejection chains, pair re-splits;</item>
/// <item><see cref="LocalSearch"/> — merge-and-resplit of adjacent cells, single-unit moves, swaps;</item>
/// </list>
/// all over one <see cref="PartitionState"/> (assignment, cell totals, contiguity) and cutting regions with one
/// <see cref="Bisection"/>. Everything random comes from the state's one seeded <see cref="Random"/>, so a start is
/// reproducible: the same seed gives the same plan unless a time limit cuts the search.
/// </summary>
internal sealed class PartitionSearch
{
    private readonly PartitionState _state;
    private readonly Seeding _seeding;
    private readonly LocalSearch _localSearch;
    private readonly BalanceRepair _repair;

    public PartitionSearch(SubProblem g, int k, double lower, double upper, bool cutObjective, int seed)
    {
        _state = new PartitionState(g, k, lower, upper, cutObjective, seed);
        var bisection = new Bisection(_state);
        _seeding = new Seeding(_state, bisection);
        _localSearch = new LocalSearch(_state, bisection);
        _repair = new BalanceRepair(_state, bisection, _localSearch);
    }

    /// <summary>Cell of each unit, 0 … K − 1 (−1 before the first seed or <see cref="Load"/>).</summary>
    public int[] Cell => _state.Cell;

    /// <summary>Loads an assignment (every unit 0..K−1) and recomputes the cell totals.</summary>
    public void Load(int[] cell) => _state.Load(cell);
    /// <summary>Σ over cells of how far each weight lies outside [L, U].</summary>
    public double TotalViolation() => _state.TotalViolation();
    public bool IsBalanced() => _state.IsBalanced();
    /// <summary>Objective, larger is better: Σ PP, or −(cut edges) + 0.1 × mean PP.</summary>
    public double Score() => _state.Score();
    public double MeanPp() => _state.MeanPp();
    public bool AllContiguous() => _state.AllContiguous();
    /// <summary>Reassigns detached pieces of cells to the neighbouring cell they share most boundary with.</summary>
    public void FixContiguity() => _state.FixContiguity();

    /// <inheritdoc cref="Seeding.Seed"/>
    public void Seed(int sweeps, int trees) => _seeding.Seed(sweeps, trees);
    /// <inheritdoc cref="Seeding.SeedGeometric"/>
    public void SeedGeometric() => _seeding.SeedGeometric();
    /// <inheritdoc cref="Seeding.SeedPowerDiagram"/>
    public void SeedPowerDiagram(int outer, int inner, int workers = 1) => _seeding.SeedPowerDiagram(outer, inner, workers);

    /// <inheritdoc cref="BalanceRepair.Repair"/>
    public void Repair(int rounds, Func<bool> stop) => _repair.Repair(rounds, stop);
    /// <inheritdoc cref="BalanceRepair.ChainRepair"/>
    public int ChainRepair(int rounds, Func<bool> stop) => _repair.ChainRepair(rounds, stop);

    /// <inheritdoc cref="LocalSearch.Recombine"/>
    public int Recombine(int iterations, int sweeps, int trees, Func<bool> stop, double temperature = 0) =>
        _localSearch.Recombine(iterations, sweeps, trees, stop, temperature);
    /// <inheritdoc cref="LocalSearch.RecombineBatched"/>
    public int RecombineBatched(int iterations, int sweeps, int trees, Func<bool> stop, int workers) =>
        _localSearch.RecombineBatched(iterations, sweeps, trees, stop, workers);
    /// <inheritdoc cref="LocalSearch.MovePass"/>
    public int MovePass(bool balanceOnly = false) => _localSearch.MovePass(balanceOnly);
    /// <inheritdoc cref="LocalSearch.SwapPass"/>
    public int SwapPass() => _localSearch.SwapPass();
}
