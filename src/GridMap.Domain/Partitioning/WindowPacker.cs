using GridMap.Domain.Graphs;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Window mode (min–max weight per cell, K free) on coarse units — a street of compounds averaging 250 households
/// into cells of 300–500 is one to three compounds per cell — is a packing problem that balance repair with a fixed
/// K often cannot finish. This constructive search packs instead: it grows one cell at a time from the most
/// peripheral free unit (fewest free neighbours, so nothing is stranded behind the cell), adding connected units
/// that fit under the maximum — preferring units that would otherwise be cut off, then the nearest — until the
/// cell reaches the minimum; a cell is closed only if every remaining connected group of free units can still be
/// divided into whole cells within the window. Randomised restarts (thousands per second on a street) until one
/// packs every unit; K is whatever the packing needs. The plan is then made compact by the usual search moves,
/// which keep every cell within the window.
/// </summary>
internal static class WindowPacker
{
    private const double Eps = 1e-9;

    /// <summary>A packing of every unit of <paramref name="g"/> into contiguous cells within [lo, hi], or null when
    /// <paramref name="attempts"/> restarts (or the time) run out. Cells are numbered 0..K−1.</summary>
    public static int[]? Pack(SubProblem g, double lo, double hi, Random rng, int attempts, Func<bool> stop)
    {
        var n = g.N;
        var cell = new int[n];
        var freeNbrs = new int[n];
        var mark = new int[n];
        var gen = 0;
        var members = new List<int>();
        var frontier = new List<int>();
        var connectivity = new Connectivity(g.Off, g.Nbr);
        var piece = new List<int>();
        // Free neighbours v of u it could share a cell with (together within the maximum); only matters below the minimum.
        int Partners(int u)
        {
            var p = 0;
            for (var e = g.Off[u]; e < g.Off[u + 1]; e++)
                if (g.Conn[e] && cell[g.Nbr[e]] < 0 && g.W[u] + g.W[g.Nbr[e]] <= hi + Eps) p++;
            return p;
        }
        // A free unit that no cell could hold any more: below the minimum with no free partner left.
        bool Doomed(int u) => g.W[u] < lo - Eps && Partners(u) == 0;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if ((attempt & 63) == 0 && stop()) return null;
            Array.Fill(cell, -1);
            for (var u = 0; u < n; u++)
            {
                freeNbrs[u] = 0;
                for (var e = g.Off[u]; e < g.Off[u + 1]; e++) if (g.Conn[e]) freeNbrs[u]++;
            }
            var k = 0; var left = n; var failed = false;
            while (left > 0 && !failed)
            {
                // Seed: the hardest free unit to place — a light unit with the fewest partners, else the fewest free
                // neighbours (random among ties and near-ties).
                var seed = -1; var bestKey = double.PositiveInfinity;
                for (var u = 0; u < n; u++)
                {
                    if (cell[u] >= 0) continue;
                    var key = (g.W[u] < lo - Eps ? Partners(u) : freeNbrs[u]) + rng.NextDouble() * 1.5;
                    if (key < bestKey) { bestKey = key; seed = u; }
                }
                members.Clear();
                double w = 0, sx = 0, sy = 0;
                void Take(int u)
                {
                    cell[u] = k; members.Add(u); left--;
                    w += g.W[u]; sx += g.X[u] * g.W[u]; sy += g.Y[u] * g.W[u];
                    for (var e = g.Off[u]; e < g.Off[u + 1]; e++) if (g.Conn[e]) freeNbrs[g.Nbr[e]]--;
                }
                Take(seed);
                // Grow to the minimum, then keep absorbing neighbours that would be stranded (no other free neighbour).
                var stopAt = lo + rng.NextDouble() * (hi - lo) * 0.35;
                while (true)
                {
                    frontier.Clear();
                    gen++;
                    foreach (var u in members)
                        for (var e = g.Off[u]; e < g.Off[u + 1]; e++)
                        {
                            var v = g.Nbr[e];
                            if (!g.Conn[e] || cell[v] >= 0 || mark[v] == gen) continue;
                            mark[v] = gen;
                            if (w + g.W[v] <= hi + Eps) frontier.Add(v);
                        }
                    if (frontier.Count == 0) break;
                    var reached = w >= lo - Eps;
                    double cx = sx / Math.Max(w, Eps), cy = sy / Math.Max(w, Eps);
                    var pick = -1; var pickKey = double.PositiveInfinity;
                    foreach (var v in frontier)
                    {
                        // Stranded: nothing else could hold v once this cell closes (no other free neighbour, or a
                        // light unit whose only partners are in this cell).
                        var stranded = freeNbrs[v] == 0 || Doomed(v);
                        if (reached && !stranded && w >= stopAt) continue;
                        var d = Math.Sqrt((g.X[v] - cx) * (g.X[v] - cx) + (g.Y[v] - cy) * (g.Y[v] - cy));
                        var key = (stranded ? 0 : 1e12) + freeNbrs[v] * 1e6 * (reached ? 1 : 0.2) + d * (0.7 + 0.6 * rng.NextDouble());
                        if (key < pickKey) { pickKey = key; pick = v; }
                    }
                    if (pick < 0) break;
                    Take(pick);
                }
                if (w < lo - Eps) { failed = true; break; }
                k++;
                // Closing the cell must not leave a neighbour that no cell could hold.
                foreach (var u in members)
                    for (var e = g.Off[u]; e < g.Off[u + 1] && !failed; e++)
                        if (g.Conn[e] && cell[g.Nbr[e]] < 0 && Doomed(g.Nbr[e])) failed = true;
                if (failed) break;
                // Every remaining connected group of free units must still be divisible into whole cells.
                connectivity.BeginPass();
                for (var s = 0; s < n && !failed; s++)
                {
                    if (cell[s] >= 0 || connectivity.Seen(s)) continue;
                    piece.Clear();
                    connectivity.Flood(s, new Free(g.Conn, cell), piece);
                    double cw = 0;
                    foreach (var x in piece) cw += g.W[x];
                    if (!UnitGrouper.Divisible(cw, piece.Count, lo, hi)) failed = true;
                }
            }
            if (!failed && left == 0) return (int[])cell.Clone();
        }
        return null;
    }

    /// <summary>Follows connecting edges to units not yet in a cell.</summary>
    private readonly struct Free(bool[] connecting, int[] cell) : IEdgeFilter
    {
        private readonly bool[] _connecting = connecting;
        private readonly int[] _cell = cell;
        public bool Follow(int from, int edge, int to) => _connecting[edge] && _cell[to] < 0;
    }
}
