using GridMap.Domain.Graphs;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// The grouping stage of <see cref="CellPartitioner"/>: divides the free units into groups that are solved on their
/// own (connected components through connecting edges, inside one parent when nesting). Units heavier than the
/// upper bound (window mode) are taken out first: each becomes an oversize cell. With soft barriers a group whose
/// weight cannot be divided into whole cells within the bounds is joined to a neighbouring group across one
/// barrier-crossing edge, repeatedly; a group that still cannot be divided but borders an oversize cell joins that
/// cell (it was over the maximum anyway, and it is the only way to keep every unit in a contiguous cell).
/// Undersize cells (window mode) are the light counterpart, made only where a cell within the window provably cannot
/// hold the units: a unit below the minimum that no neighbour can join without passing the maximum (any cell of two
/// or more units holds a neighbour of each) is a cell of its own; with soft barriers, a group below the minimum with no
/// neighbouring group to join is one cell. What cannot be fixed is left for the caller to report.
/// </summary>
internal static class UnitGrouper
{
    /// <summary>Groups to search (unit indices, sorted), oversize cells (their unit, plus attached units) and the
    /// barrier crossings that must count as connecting.</summary>
    internal sealed record Grouping(List<List<int>> Groups, List<(int Unit, List<int> Attached)> Oversize, List<List<int>> Undersize,
        List<(int A, int B)> Crossings);

    /// <summary>True when <paramref name="weight"/> spread over at most <paramref name="count"/> whole units can form
    /// k ≥ 1 cells each within [lower, upper] (the necessary condition the search relies on).</summary>
    internal static bool Divisible(double weight, int count, double lower, double upper)
    {
        var lo = Math.Max(1, (int)Math.Ceiling(weight / upper - 1e-9));
        var hi = lower > 0 ? (int)Math.Floor(weight / lower + 1e-9) : count;
        return lo <= Math.Min(hi, count);
    }

    public static Grouping Build(UnitGraph graph, bool[] free, IReadOnlyList<int> oversizeUnits, Func<int, int, bool> keepEdge,
        double lower, double upper, BarrierMode barriers, bool window)
    {
        var n = graph.Count;
        var searchable = (bool[])free.Clone();
        foreach (var u in oversizeUnits) searchable[u] = false;
        var off = graph.Offsets; var tg = graph.Targets; var con = graph.ConnectedFlags; var w = graph.Weights;
        var soft = barriers == BarrierMode.Soft;

        // A unit below the minimum needs a neighbour to share a cell with, within the maximum. Without one through a
        // connecting edge: with soft barriers it may take one across a barrier (the shortest hop, reported); otherwise
        // no cell within the window can hold it, and it is an (undersize) cell of its own.
        var undersize = new List<List<int>>();
        var lightCrossings = new List<(int A, int B)>();
        double Hop(int a, int b) => Math.Sqrt((graph.X[a] - graph.X[b]) * (graph.X[a] - graph.X[b]) + (graph.Y[a] - graph.Y[b]) * (graph.Y[a] - graph.Y[b]));
        if (window)
            for (var u = 0; u < n; u++)
            {
                if (!searchable[u] || w[u] >= lower - 1e-9) continue;
                var partner = false; var across = -1;
                for (var e = off[u]; e < off[u + 1] && !partner; e++)
                {
                    var v = tg[e];
                    if (!free[v] || !keepEdge(u, v) || PlanEvaluator.Above(w[u] + w[v], upper)) continue;
                    if (con[e]) partner = true;
                    else if (soft && searchable[v] && (across < 0 || Hop(u, v) < Hop(u, across))) across = v;
                }
                if (partner) continue;
                if (across >= 0) lightCrossings.Add((Math.Min(u, across), Math.Max(u, across)));
                else undersize.Add([u]);
            }
        foreach (var m in undersize) searchable[m[0]] = false;
        // A partner across a barrier may itself have been left alone (its own partners all too heavy): drop such hops.
        lightCrossings.RemoveAll(c => !searchable[c.A] || !searchable[c.B]);

        // Components through connecting edges; group[u] = component index (−1 when not searchable).
        var group = new int[n];
        Array.Fill(group, -1);
        var members = new List<List<int>>();
        var connectivity = new Connectivity(off, tg);
        connectivity.BeginPass();
        var joins = new Joins(searchable, con, keepEdge);
        for (var s = 0; s < n; s++)
        {
            if (!searchable[s] || connectivity.Seen(s)) continue;
            var comp = new List<int>();
            connectivity.Flood(s, joins, comp);
            foreach (var u in comp) group[u] = members.Count;
            members.Add(comp);
        }
        var weight = members.Select(m => m.Sum(u => w[u])).ToList();
        var crossings = new List<(int A, int B)>();

        // Groups merged across barriers: a merged group is known by its smallest group index, which keeps its members
        // and weight (and so the order groups are tried in, on which the result depends).
        var merged = new UnionFind(members.Count);
        int Find(int g) => merged.Smallest(g);
        bool Ok(int g) => Divisible(weight[g], members[g].Count, lower, upper);
        void Merge(int a, int b, (int A, int B) cross)
        {
            int x = Find(group[a]), y = Find(group[b]);
            if (x != y)
            {
                var (keep, gone) = x < y ? (x, y) : (y, x);
                merged.Union(keep, gone);
                members[keep].AddRange(members[gone]); members[gone] = [];
                weight[keep] += weight[gone]; weight[gone] = 0;
            }
            crossings.Add(cross);
        }
        foreach (var c in lightCrossings.Distinct()) Merge(c.A, c.B, c);

        if (soft)
        {
            // Candidate crossings: barrier edges between searchable units of different groups that nesting allows.
            var candidates = new List<(int A, int B)>();
            for (var u = 0; u < n; u++)
                if (searchable[u])
                    for (var e = off[u]; e < off[u + 1]; e++)
                    {
                        var v = tg[e];
                        if (v > u && searchable[v] && !con[e] && group[u] != group[v] && keepEdge(u, v)) candidates.Add((u, v));
                    }
            var stuck = new HashSet<int>();
            while (true)
            {
                // The lightest group that cannot be divided goes first (ties: lowest unit index), for determinism.
                var pick = -1;
                for (var g = 0; g < members.Count; g++)
                    if (Find(g) == g && !stuck.Contains(g) && !Ok(g) && (pick < 0 || weight[g] < weight[pick])) pick = g;
                if (pick < 0) break;
                (int A, int B)? best = null; var bestDivisible = false; var bestHop = double.PositiveInfinity;
                foreach (var (a, b) in candidates)
                {
                    int ga = Find(group[a]), gb = Find(group[b]);
                    if (ga == gb || (ga != pick && gb != pick)) continue;
                    var other = ga == pick ? gb : ga;
                    var divisible = Divisible(weight[pick] + weight[other], members[pick].Count + members[other].Count, lower, upper);
                    var hop = Hop(a, b);
                    if (best is null || (divisible && !bestDivisible) || (divisible == bestDivisible && hop < bestHop))
                    {
                        best = (a, b); bestDivisible = divisible; bestHop = hop;
                    }
                }
                if (best is not { } cross) { stuck.Add(pick); continue; }
                Merge(cross.A, cross.B, cross);
                stuck.Remove(Find(group[cross.A]));
            }
        }

        // Groups that still cannot be divided join a neighbouring oversize cell: through a connecting edge, or (soft
        // barriers) across a barrier; the lightest such cell takes them.
        var oversize = oversizeUnits.Select(u => (Unit: u, Attached: new List<int>())).ToList();
        var oversizeIndex = new Dictionary<int, int>();
        for (var i = 0; i < oversize.Count; i++) oversizeIndex[oversize[i].Unit] = i;
        var oversizeWeight = oversizeUnits.Select(u => w[u]).ToArray();
        var groups = new List<List<int>>();
        for (var g = 0; g < members.Count; g++)
        {
            if (Find(g) != g) continue;
            if (Ok(g)) { groups.Add(members[g]); continue; }
            var target = -1; (int A, int B)? via = null;
            foreach (var u in members[g])
                for (var e = off[u]; e < off[u + 1]; e++)
                {
                    var v = tg[e];
                    if (!oversizeIndex.TryGetValue(v, out var o) || !keepEdge(u, v)) continue;
                    if (!con[e] && barriers == BarrierMode.Hard) continue;
                    // Prefer a connecting edge over a crossing, then the lighter oversize cell.
                    if (target < 0 || (con[e] ? 0 : 1, oversizeWeight[o]).CompareTo((via is null ? 0 : 1, oversizeWeight[target])) < 0)
                    { target = o; via = con[e] ? null : (Math.Min(u, v), Math.Max(u, v)); }
                }
            if (target < 0)
            {
                // Soft barriers: a group too light for a cell that could join nothing is one (undersize) cell.
                if (soft && window && weight[g] < lower) undersize.Add(members[g]); else groups.Add(members[g]);
                continue;
            }
            oversize[target].Attached.AddRange(members[g]);
            oversizeWeight[target] += weight[g];
            if (via is { } c) crossings.Add(c);
        }
        foreach (var m in groups) m.Sort();
        foreach (var o in oversize) o.Attached.Sort();
        foreach (var m in undersize) m.Sort();
        undersize.Sort((p, q) => p[0].CompareTo(q[0]));
        // Keep the order components had before merging (by their smallest unit), as the search's seeds depend on it.
        groups.Sort((p, q) => p[0].CompareTo(q[0]));
        return new Grouping(groups, oversize, undersize, crossings);
    }

    /// <summary>Follows connecting edges between searchable units that nesting allows to share a cell.</summary>
    private readonly struct Joins(bool[] searchable, bool[] connecting, Func<int, int, bool> keepEdge) : IEdgeFilter
    {
        private readonly bool[] _searchable = searchable;
        private readonly bool[] _connecting = connecting;
        private readonly Func<int, int, bool> _keepEdge = keepEdge;
        public bool Follow(int from, int edge, int to) => _searchable[to] && _connecting[edge] && _keepEdge(from, to);
    }

    /// <summary>A copy of <paramref name="graph"/> in which the given barrier-crossing edges connect.</summary>
    public static UnitGraph WithCrossings(UnitGraph graph, IReadOnlyCollection<(int A, int B)> crossings)
    {
        if (crossings.Count == 0) return graph;
        var allowed = crossings.Select(c => (Math.Min(c.A, c.B), Math.Max(c.A, c.B))).ToHashSet();
        var edges = new List<(int A, int B, double Length, bool Connected)>(graph.GeometricEdgeCount);
        for (var u = 0; u < graph.Count; u++)
            for (var e = graph.Offsets[u]; e < graph.Offsets[u + 1]; e++)
            {
                var v = graph.Targets[e];
                if (v > u) edges.Add((u, v, graph.Shared[e], graph.ConnectedFlags[e] || allowed.Contains((u, v))));
            }
        return new UnitGraph(graph.Ids.ToArray(), graph.Weights, graph.Parents, graph.Areas, graph.Perimeters, graph.X, graph.Y,
            graph.Territories, edges, graph.IsTessellated) { BuildTimings = graph.BuildTimings };
    }
}
