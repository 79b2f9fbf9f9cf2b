namespace GridMap.Domain.Partitioning;

/// <summary>A staff member who can be responsible for cells: base location (metres), branch (null = any),
/// and how many cells they may take (≥ 1).</summary>
public sealed record StaffMember
{
    public StaffMember(string id, double x, double y, string? branch = null, int capacity = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!double.IsFinite(x) || !double.IsFinite(y)) throw new ArgumentException($"staff '{id}' has no valid base location.");
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), $"staff '{id}' capacity {capacity} must be at least 1.");
        Id = id; X = x; Y = y; Branch = branch; Capacity = capacity;
    }
    public string Id { get; }
    public double X { get; }
    public double Y { get; }
    public string? Branch { get; }
    public int Capacity { get; }
}

/// <summary>A cell to staff: its number, a representative point (metres) and its branch (null = any).</summary>
public sealed record CellSite(int Cell, double X, double Y, string? Branch = null);

/// <summary>The staff plan: cell → staff id, cells left without staff, the total base-to-cell distance (m) and
/// each staffed cell's distance (m), all in the metric the assignment was solved with (straight line or the given costs).</summary>
public sealed record StaffAssignment(IReadOnlyDictionary<int, string> StaffOf, IReadOnlyList<int> Unstaffed, double TotalDistance,
    IReadOnlyDictionary<int, double> DistanceOf);

/// <summary>
/// Travel costs in metres from staff bases to cell sites, e.g. along the road network (the storage layer supplies
/// them; the engine stays database-free). Valid from birth: every cost is finite, ≥ 0 and below
/// <see cref="MaxMetres"/> (so it never competes with the solver's "forbidden" sentinel), and each (staff, cell) pair appears once. <see cref="StaffAssigner"/> needs a cost for every pair it may use.
/// </summary>
public sealed class TravelCostMatrix
{
    /// <summary>Upper bound on a cost: a million kilometres.</summary>
    public const double MaxMetres = 1e9;

    private readonly Dictionary<(string Staff, int Cell), double> _metres = [];

    public TravelCostMatrix(IEnumerable<(string StaffId, int Cell, double Metres)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (staffId, cell, metres) in entries)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
            if (!(metres is >= 0 and < MaxMetres))
                throw new ArgumentException($"travel cost {metres} m from staff '{staffId}' to cell {cell} must be finite, ≥ 0 and below {MaxMetres:0} m.");
            if (!_metres.TryAdd((staffId, cell), metres)) throw new ArgumentException($"travel cost from staff '{staffId}' to cell {cell} is listed twice.");
        }
    }

    /// <summary>Number of (staff, cell) pairs with a cost.</summary>
    public int Count => _metres.Count;

    /// <summary>The cost of a pair, if the matrix has it.</summary>
    public bool TryGet(string staffId, int cell, out double metres) => _metres.TryGetValue((staffId, cell), out metres);

    /// <summary>The cost of a pair; <see cref="KeyNotFoundException"/> when the matrix lacks it.</summary>
    public double this[string staffId, int cell] => TryGet(staffId, cell, out var m) ? m
        : throw new KeyNotFoundException($"no travel cost from staff '{staffId}' to cell {cell}.");

    /// <summary>Straight-line distances between the staff bases and cell sites (the default metric).</summary>
    public static TravelCostMatrix StraightLine(IReadOnlyList<StaffMember> staff, IReadOnlyList<CellSite> cells)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(cells);
        return new TravelCostMatrix(staff.SelectMany(s => cells.Select(c => (s.Id, c.Cell, StaffAssigner.StraightLine(s, c)))));
    }
}

/// <summary>
/// Optimal assignment of staff to cells: as many cells staffed as possible, then the least total
/// travel from each staff member's base to the cell — straight-line distance by default, or the costs of a
/// <see cref="TravelCostMatrix"/> (e.g. road distances) — only within a staff member's branch, each member
/// taking at most their capacity, manual pins kept. Solved exactly with the Hungarian method, O(n²m) for
/// n cells and m staff slots — fine for the few hundred cells of a district.
/// </summary>
public static class StaffAssigner
{
    private const double Forbidden = 1e12;

    /// <param name="cells">Cells to staff (distinct numbers).</param>
    /// <param name="staff">Staff who may take them (distinct ids).</param>
    /// <param name="pins">Cell → staff id kept as given (same branch, within capacity).</param>
    /// <param name="costs">Travel costs (m) for every same-branch (staff, cell) pair the solver may use; null = straight line.
    /// A missing pair is an <see cref="ArgumentException"/>, never a silently unstaffed cell.</param>
    public static StaffAssignment Assign(IReadOnlyList<CellSite> cells, IReadOnlyList<StaffMember> staff, IReadOnlyDictionary<int, string>? pins = null,
        TravelCostMatrix? costs = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(staff);
        var dupCell = cells.GroupBy(c => c.Cell).FirstOrDefault(g => g.Count() > 1);
        if (dupCell is not null) throw new ArgumentException($"cell {dupCell.Key} is listed twice.");
        var byId = new Dictionary<string, StaffMember>();
        foreach (var s in staff) if (!byId.TryAdd(s.Id, s)) throw new ArgumentException($"staff id '{s.Id}' is listed twice.");
        double Cost(StaffMember s, CellSite c) => costs is null ? StraightLine(s, c)
            : costs.TryGet(s.Id, c.Cell, out var m) ? m : throw new ArgumentException($"the travel costs have no entry from staff '{s.Id}' to cell {c.Cell}.");
        var result = new Dictionary<int, string>();
        var distance = new Dictionary<int, double>();
        var left = staff.ToDictionary(s => s.Id, s => s.Capacity);
        var total = 0.0;
        foreach (var (cellNo, sid) in pins ?? new Dictionary<int, string>())
        {
            var cell = cells.FirstOrDefault(c => c.Cell == cellNo) ?? throw new ArgumentException($"pinned cell {cellNo} does not exist.");
            if (!byId.TryGetValue(sid, out var member)) throw new ArgumentException($"pinned staff '{sid}' does not exist.");
            if (!SameBranch(member, cell)) throw new ArgumentException($"staff '{sid}' (branch {member.Branch}) cannot be pinned to cell {cellNo} of branch {cell.Branch}.");
            if (left[sid]-- <= 0) throw new ArgumentException($"staff '{sid}' is pinned to more cells than their capacity {member.Capacity}.");
            result[cellNo] = sid;
            distance[cellNo] = Cost(member, cell);
            total += distance[cellNo];
        }
        var open = cells.Where(c => !result.ContainsKey(c.Cell)).ToList();
        var slots = staff.SelectMany(s => Enumerable.Repeat(s, Math.Max(0, left[s.Id]))).ToList();
        if (open.Count > 0 && slots.Count > 0)
        {
            // Rows = cells, columns = staff slots plus one "unstaffed" column per cell, so n ≤ m always holds.
            int n = open.Count, m = slots.Count + n;
            var cost = new double[n, m];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < m; j++)
                    cost[i, j] = j < slots.Count ? (SameBranch(slots[j], open[i]) ? Cost(slots[j], open[i]) : Forbidden) : Forbidden / 2;
            var match = Hungarian(cost, n, m);
            for (var i = 0; i < n; i++)
            {
                var j = match[i];
                if (j < slots.Count && cost[i, j] < Forbidden / 2) { result[open[i].Cell] = slots[j].Id; distance[open[i].Cell] = cost[i, j]; total += cost[i, j]; }
            }
        }
        var unstaffed = cells.Where(c => !result.ContainsKey(c.Cell)).Select(c => c.Cell).Order().ToList();
        return new StaffAssignment(result, unstaffed, total, distance);
    }

    private static bool SameBranch(StaffMember s, CellSite c) => s.Branch is null || c.Branch is null || s.Branch == c.Branch;

    /// <summary>Straight-line distance (m) from a staff member's base to a cell site.</summary>
    public static double StraightLine(StaffMember s, CellSite c)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(c);
        return Math.Sqrt((s.X - c.X) * (s.X - c.X) + (s.Y - c.Y) * (s.Y - c.Y));
    }

    /// <summary>Minimum-cost assignment of n rows to distinct columns of an n×m matrix (n ≤ m), by potentials.</summary>
    internal static int[] Hungarian(double[,] a, int n, int m)
    {
        var u = new double[n + 1]; var v = new double[m + 1];
        var p = new int[m + 1]; var way = new int[m + 1];
        for (var i = 1; i <= n; i++)
        {
            p[0] = i;
            var j0 = 0;
            var minv = new double[m + 1];
            var used = new bool[m + 1];
            Array.Fill(minv, double.PositiveInfinity);
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                var delta = double.PositiveInfinity;
                for (var j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    var cur = a[i0 - 1, j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (var j = 0; j <= m; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do { var j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0 != 0);
        }
        var match = new int[n];
        for (var j = 1; j <= m; j++) if (p[j] != 0) match[p[j] - 1] = j - 1;
        return match;
    }
}
