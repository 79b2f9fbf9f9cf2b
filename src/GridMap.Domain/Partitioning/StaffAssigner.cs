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

/// <summary>The staff plan: cell → staff id, cells left without staff, and the total base-to-cell distance (m).</summary>
public sealed record StaffAssignment(IReadOnlyDictionary<int, string> StaffOf, IReadOnlyList<int> Unstaffed, double TotalDistance);

/// <summary>
/// Optimal assignment of staff to cells: as many cells staffed as possible, then the least total
/// straight-line distance from each staff member's base to the cell, only within a staff member's branch,
/// each member taking at most their capacity, manual pins kept. Solved exactly with the Hungarian method,
/// O(n²m) for n cells and m staff slots — fine for the few hundred cells of a district.
/// </summary>
public static class StaffAssigner
{
    private const double Forbidden = 1e12;

    public static StaffAssignment Assign(IReadOnlyList<CellSite> cells, IReadOnlyList<StaffMember> staff, IReadOnlyDictionary<int, string>? pins = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(staff);
        var dupCell = cells.GroupBy(c => c.Cell).FirstOrDefault(g => g.Count() > 1);
        if (dupCell is not null) throw new ArgumentException($"cell {dupCell.Key} is listed twice.");
        var byId = new Dictionary<string, StaffMember>();
        foreach (var s in staff) if (!byId.TryAdd(s.Id, s)) throw new ArgumentException($"staff id '{s.Id}' is listed twice.");
        var result = new Dictionary<int, string>();
        var left = staff.ToDictionary(s => s.Id, s => s.Capacity);
        var total = 0.0;
        foreach (var (cellNo, sid) in pins ?? new Dictionary<int, string>())
        {
            var cell = cells.FirstOrDefault(c => c.Cell == cellNo) ?? throw new ArgumentException($"pinned cell {cellNo} does not exist.");
            if (!byId.TryGetValue(sid, out var member)) throw new ArgumentException($"pinned staff '{sid}' does not exist.");
            if (!SameBranch(member, cell)) throw new ArgumentException($"staff '{sid}' (branch {member.Branch}) cannot be pinned to cell {cellNo} of branch {cell.Branch}.");
            if (left[sid]-- <= 0) throw new ArgumentException($"staff '{sid}' is pinned to more cells than their capacity {member.Capacity}.");
            result[cellNo] = sid;
            total += Distance(member, cell);
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
                    cost[i, j] = j < slots.Count ? (SameBranch(slots[j], open[i]) ? Distance(slots[j], open[i]) : Forbidden) : Forbidden / 2;
            var match = Hungarian(cost, n, m);
            for (var i = 0; i < n; i++)
            {
                var j = match[i];
                if (j < slots.Count && cost[i, j] < Forbidden / 2) { result[open[i].Cell] = slots[j].Id; total += cost[i, j]; }
            }
        }
        var unstaffed = cells.Where(c => !result.ContainsKey(c.Cell)).Select(c => c.Cell).Order().ToList();
        return new StaffAssignment(result, unstaffed, total);
    }

    private static bool SameBranch(StaffMember s, CellSite c) => s.Branch is null || c.Branch is null || s.Branch == c.Branch;
    private static double Distance(StaffMember s, CellSite c) => Math.Sqrt((s.X - c.X) * (s.X - c.X) + (s.Y - c.Y) * (s.Y - c.Y));

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
