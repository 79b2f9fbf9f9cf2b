using CsCheck;

namespace GridMap.Domain.Tests.Graphs;

/// <summary>Random undirected graphs for the property tests, and a plain breadth-first oracle to judge the helpers by.</summary>
internal static class RandomGraphs
{
    /// <summary>1–40 vertices and up to 2n edges (self-loops and repeats included: the helpers must shrug them off).</summary>
    public static readonly Gen<(int N, (int A, int B)[] Edges)> Graph =
        Gen.Int[1, 40].SelectMany(n => Gen.Select(Gen.Int[0, n - 1], Gen.Int[0, n - 1]).Array[0, 2 * n].Select(e => (n, e)));

    /// <summary>Component label of each vertex by breadth-first search from 0, 1, …: labels in order of the smallest vertex.</summary>
    public static int[] Labels(int n, IEnumerable<(int A, int B)> edges)
    {
        var adj = Adjacency(n, edges);
        var label = Enumerable.Repeat(-1, n).ToArray();
        var next = 0;
        for (var s = 0; s < n; s++)
        {
            if (label[s] >= 0) continue;
            var queue = new Queue<int>([s]);
            label[s] = next;
            while (queue.Count > 0)
                foreach (var v in adj[queue.Dequeue()])
                    if (label[v] < 0) { label[v] = next; queue.Enqueue(v); }
            next++;
        }
        return label;
    }

    public static List<int>[] Adjacency(int n, IEnumerable<(int A, int B)> edges)
    {
        var adj = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        foreach (var (a, b) in edges) { adj[a].Add(b); adj[b].Add(a); }
        return adj;
    }

    /// <summary>The same graph in compressed sparse row form (neighbours in edge order).</summary>
    public static (int[] Offsets, int[] Targets) Csr(int n, IEnumerable<(int A, int B)> edges)
    {
        var adj = Adjacency(n, edges);
        var offsets = new int[n + 1];
        for (var v = 0; v < n; v++) offsets[v + 1] = offsets[v] + adj[v].Count;
        return (offsets, adj.SelectMany(l => l).ToArray());
    }
}
