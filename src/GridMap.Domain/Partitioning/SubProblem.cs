namespace GridMap.Domain.Partitioning;

/// <summary>
/// A slice of the unit graph solved on its own (one connected component inside one parent area,
/// without locked units), with local 0-based indices. Edges leaving the slice are dropped: their shared
/// length stays in the unit perimeters and so counts as cell boundary, which is what it is.
/// </summary>
internal sealed class SubProblem
{
    public readonly int N;
    public readonly int[] Global;
    public readonly double[] W, A, P, X, Y;
    public readonly int[] Off, Nbr;
    public readonly double[] Len;
    public readonly bool[] Conn;
    public readonly double TotalWeight;

    public SubProblem(UnitGraph g, IReadOnlyList<int> nodes, Func<int, int, bool>? keepEdge = null)
    {
        N = nodes.Count;
        Global = nodes.ToArray();
        var local = new Dictionary<int, int>(N);
        for (var i = 0; i < N; i++) local[Global[i]] = i;
        W = new double[N]; A = new double[N]; P = new double[N]; X = new double[N]; Y = new double[N];
        var off = new int[N + 1];
        var nbr = new List<int>(); var len = new List<double>(); var conn = new List<bool>();
        for (var i = 0; i < N; i++)
        {
            var u = Global[i];
            W[i] = g.Weights[u]; A[i] = g.Areas[u]; P[i] = g.Perimeters[u]; X[i] = g.X[u]; Y[i] = g.Y[u];
            for (var e = g.Offsets[u]; e < g.Offsets[u + 1]; e++)
            {
                if (!local.TryGetValue(g.Targets[e], out var v) || (keepEdge is not null && !keepEdge(u, g.Targets[e]))) continue;
                nbr.Add(v); len.Add(g.Shared[e]); conn.Add(g.ConnectedFlags[e]);
            }
            off[i + 1] = nbr.Count;
        }
        Off = off; Nbr = nbr.ToArray(); Len = len.ToArray(); Conn = conn.ToArray();
        TotalWeight = W.Sum();
    }
}
