namespace GridMap.Domain.Graphs;

/// <summary>
/// Disjoint sets over the elements 0 … <see cref="Count"/> − 1 (union–find), the one implementation used by the
/// whole domain: valve segments and isolation units (<see cref="Network.SegmentIndex"/>), loops in the secondary
/// network (<see cref="Network.NetworkValidator"/>), merging unit groups across barriers and the random spanning
/// trees of the partition engine.
/// <para>
/// Union by rank with path halving: any sequence of m calls on n elements costs O(m α(n)), effectively constant per
/// call, and never recurses. Each set also keeps its smallest element (<see cref="Smallest"/>): which element
/// <see cref="Find"/> returns depends on the order of unions, the smallest does not, and the partition engine needs
/// representatives that are the same for the same input so that a seed always gives the same plan.
/// </para>
/// <para>Elements are 0-based indices below <see cref="Count"/>; an index outside that range throws
/// <see cref="IndexOutOfRangeException"/> (not checked separately: these calls sit in inner loops). Not thread-safe:
/// even <see cref="Find"/> writes (it shortens paths).</para>
/// </summary>
public sealed class UnionFind
{
    private readonly int[] _parent;
    // Rank is an upper bound on a tree's height, at most log2(Count) < 32: a byte holds it.
    private readonly byte[] _rank;
    private readonly int[] _smallest;

    /// <summary>Creates <paramref name="count"/> (≥ 0) singleton sets {0}, {1}, …, {count − 1}.</summary>
    public UnionFind(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _parent = new int[count];
        _rank = new byte[count];
        _smallest = new int[count];
        for (var i = 0; i < count; i++) { _parent[i] = i; _smallest[i] = i; }
        SetCount = count;
    }

    /// <summary>Number of elements (fixed at construction, ≥ 0).</summary>
    public int Count => _parent.Length;

    /// <summary>Number of disjoint sets, 1 … <see cref="Count"/> (0 when there are no elements); falls by one per
    /// <see cref="Union"/> that merges.</summary>
    public int SetCount { get; private set; }

    /// <summary>The root of <paramref name="x"/>'s set: equal for two elements exactly when they are in the same set.
    /// Which element is the root depends on the order of unions; see <see cref="Smallest"/> for one that does not.</summary>
    public int Find(int x)
    {
        var parent = _parent;
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /// <summary>Merges the sets of <paramref name="a"/> and <paramref name="b"/>; true when they were different sets
    /// (false: already one set, nothing changed).</summary>
    public bool Union(int a, int b)
    {
        a = Find(a); b = Find(b);
        if (a == b) return false;
        if (_rank[a] < _rank[b]) (a, b) = (b, a);
        _parent[b] = a;
        if (_rank[a] == _rank[b]) _rank[a]++;
        if (_smallest[b] < _smallest[a]) _smallest[a] = _smallest[b];
        SetCount--;
        return true;
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are in the same set.</summary>
    public bool Connected(int a, int b) => Find(a) == Find(b);

    /// <summary>The smallest element of <paramref name="x"/>'s set: a representative that depends only on which
    /// elements the set holds, not on the order they were merged in.</summary>
    public int Smallest(int x) => _smallest[Find(x)];

    /// <summary>A dense label per element, 0 … <see cref="SetCount"/> − 1, numbered in order of each set's smallest
    /// element (so element 0 is always in set 0): the same labels for the same sets whatever the order of unions.</summary>
    public int[] Labels()
    {
        var n = _parent.Length;
        var label = new int[n];
        var rootLabel = new int[n];
        Array.Fill(rootLabel, -1);
        var next = 0;
        for (var i = 0; i < n; i++)
        {
            var r = Find(i);
            if (rootLabel[r] < 0) rootLabel[r] = next++;
            label[i] = rootLabel[r];
        }
        return label;
    }
}
