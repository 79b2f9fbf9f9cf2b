using System.Runtime.InteropServices;

namespace GridMap.Domain.Graphs;

/// <summary>
/// Which edges a <see cref="Connectivity"/> traversal may follow: edge slot <c>edge</c> (an index into the graph's
/// target array) from vertex <c>from</c> to vertex <c>to</c>. Implement it as a struct: the traversal is generic in
/// the filter, so the runtime compiles one copy per filter type with the check inlined — the partition engine asks
/// "can this unit leave its cell?" millions of times per run, and a delegate call per edge would be a measurable cost.
/// </summary>
public interface IEdgeFilter
{
    /// <summary>True when the traversal may go from <paramref name="from"/> to <paramref name="to"/> along slot <paramref name="edge"/>.</summary>
    bool Follow(int from, int edge, int to);
}

/// <summary>Follows every edge.</summary>
public readonly struct AllEdges : IEdgeFilter
{
    /// <inheritdoc/>
    public bool Follow(int from, int edge, int to) => true;
}

/// <summary>
/// Connectivity of vertex sets — "is this set connected?", "what are its pieces?", "does removing this vertex
/// split it?" — the one implementation in the domain: contiguity of cells in the partition engine
/// (<see cref="Partitioning.PlanEvaluator"/>, the search's moves and repairs), the groups the engine solves apart,
/// the move rules of the planner (<see cref="Partitioning.UnitMoveChecker"/>, <see cref="Planning.PlanEditor"/>).
/// <para>
/// The graph is in compressed sparse row form: the neighbours of vertex v (0 … <see cref="VertexCount"/> − 1) are
/// <c>targets[offsets[v]] … targets[offsets[v + 1] − 1]</c>, and an <see cref="IEdgeFilter"/> says which of those
/// slots a call may follow (connecting edges only, both ends in one cell, …). Traversal is depth-first with an
/// explicit stack, vertices marked when pushed, neighbours pushed in slot order and taken last-in first-out; the
/// order in which <see cref="Flood{TFilter}"/> lists vertices is part of the contract, because the engine moves units
/// in that order and a seed must always give the same plan.
/// </para>
/// <para>
/// An instance keeps its scratch marks between calls (O(n) memory, no allocation per call): a <em>pass</em> starts
/// with <see cref="BeginPass"/> and, within it, every vertex is entered at most once by any call — so the components of
/// a set are found by flooding from each vertex not yet <see cref="Seen"/>, and a vertex can be taken out of the graph
/// for the pass with <see cref="Exclude"/>. Not thread-safe. The static methods answer the same questions in one call
/// for graphs given as edge lists or neighbour functions, with vertices named by any integers.
/// </para>
/// </summary>
public sealed class Connectivity
{
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly int[] _seen;
    private readonly int[] _terminal;
    private readonly int[] _stack;
    private int _pass;
    // Terminals of the current Joined call carry their own number, so that several calls may share one pass.
    private int _call;

    /// <summary>
    /// A helper over the graph with <paramref name="offsets"/>.Length − 1 vertices whose neighbours of v are
    /// <paramref name="targets"/>[<paramref name="offsets"/>[v] … <paramref name="offsets"/>[v + 1] − 1]. The arrays are
    /// kept, not copied: the graph must not change while the helper is used. Offsets must start at 0 and not decrease,
    /// and every target must be a vertex (checked once here; the traversals do not check again).
    /// </summary>
    public Connectivity(int[] offsets, int[] targets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(targets);
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != targets.Length)
            throw new ArgumentException($"offsets must run from 0 to the number of targets ({targets.Length}).", nameof(offsets));
        var n = offsets.Length - 1;
        for (var v = 0; v < n; v++)
            if (offsets[v + 1] < offsets[v]) throw new ArgumentException($"offsets decrease at vertex {v}.", nameof(offsets));
        foreach (var t in targets)
            if ((uint)t >= (uint)n) throw new ArgumentException($"target {t} is not a vertex (0 … {n - 1}).", nameof(targets));
        _offsets = offsets;
        _targets = targets;
        _seen = new int[n];
        _terminal = new int[n];
        // Each vertex is pushed at most once per pass, so n slots always suffice.
        _stack = new int[n];
    }

    /// <summary>Number of vertices of the graph (≥ 0).</summary>
    public int VertexCount => _seen.Length;

    /// <summary>Starts a pass: every vertex is unseen again. O(1) (marks carry a pass number instead of being cleared).</summary>
    public void BeginPass()
    {
        if (++_pass == int.MaxValue)
        {
            Array.Clear(_seen);
            _pass = 1;
        }
    }

    /// <summary>True when <paramref name="v"/> was entered (or excluded) in this pass.</summary>
    public bool Seen(int v) => _seen[v] == _pass;

    /// <summary>Takes <paramref name="v"/> out of the graph for the rest of this pass: no call enters or passes through it.</summary>
    public void Exclude(int v) => _seen[v] = _pass;

    /// <summary>
    /// Enters every vertex reachable from <paramref name="seed"/> through edges the filter follows and that this pass has
    /// not entered yet, appending each to <paramref name="into"/> (when given) in depth-first order. Returns how many
    /// vertices were entered: 0 when the seed was already seen, else the size of its component (within this pass).
    /// </summary>
    public int Flood<TFilter>(int seed, TFilter filter, List<int>? into = null) where TFilter : struct, IEdgeFilter
    {
        if (_seen[seed] == _pass) return 0;
        return Walk(seed, ref filter, into, need: 0);
    }

    /// <summary>
    /// True when every vertex of <paramref name="terminals"/> lies in one component (within this pass) — paths may run
    /// through any vertex the filter admits, not only through terminals. Stops as soon as the last terminal is reached,
    /// so asking whether a vertex may leave its cell costs only as much of the cell as it takes to join its neighbours.
    /// Repeated terminals count once; no terminals, or one, are joined. A terminal already seen in this pass is not.
    /// </summary>
    public bool Joined<TFilter>(ReadOnlySpan<int> terminals, TFilter filter) where TFilter : struct, IEdgeFilter
    {
        if (terminals.Length <= 1) return true;
        if (++_call == int.MaxValue)
        {
            Array.Clear(_terminal);
            _call = 1;
        }
        var call = _call;
        var need = 0;
        foreach (var t in terminals)
        {
            if (_seen[t] == _pass) return false;
            if (_terminal[t] != call) { _terminal[t] = call; need++; }
        }
        if (need == 1) return true;
        return Walk(terminals[0], ref filter, null, need) == need;
    }

    /// <summary>
    /// Splits <paramref name="vertices"/> into components (within this pass), in order of each component's first vertex
    /// in the list; each component lists its vertices in depth-first order. The filter decides what a component may
    /// reach: to get the components of the subgraph induced by the list, it must admit only vertices of the list.
    /// </summary>
    public List<List<int>> Components<TFilter>(ReadOnlySpan<int> vertices, TFilter filter) where TFilter : struct, IEdgeFilter
    {
        var result = new List<List<int>>();
        foreach (var s in vertices)
        {
            if (_seen[s] == _pass) continue;
            var component = new List<int>();
            Walk(s, ref filter, component, need: 0);
            result.Add(component);
        }
        return result;
    }

    /// <summary>The depth-first core. need &gt; 0: count terminals and stop at the need-th (returns terminals found);
    /// else returns the number of vertices entered.</summary>
    private int Walk<TFilter>(int seed, ref TFilter filter, List<int>? into, int need) where TFilter : struct, IEdgeFilter
    {
        var pass = _pass; var call = _call;
        var seen = _seen; var terminal = _terminal; var stack = _stack;
        var offsets = _offsets; var targets = _targets;
        seen[seed] = pass;
        stack[0] = seed;
        var top = 1;
        var entered = 1;
        var found = need > 0 && terminal[seed] == call ? 1 : 0;
        while (top > 0)
        {
            var x = stack[--top];
            into?.Add(x);
            for (var e = offsets[x]; e < offsets[x + 1]; e++)
            {
                var v = targets[e];
                if (seen[v] == pass || !filter.Follow(x, e, v)) continue;
                seen[v] = pass;
                entered++;
                if (need > 0 && terminal[v] == call && ++found == need) return found;
                stack[top++] = v;
            }
        }
        return need > 0 ? found : entered;
    }

    // ------------------------------------------------------------------ one-call forms

    /// <summary>
    /// The components of the subgraph induced by <paramref name="vertices"/> (any integers, e.g. compound ids; repeats
    /// count once), where <paramref name="neighbours"/> lists the neighbours of a vertex (those outside the set are
    /// ignored). Components come in order of their first vertex in the list, so the first holds
    /// <paramref name="vertices"/>[0]; an empty list has none.
    /// </summary>
    public static List<List<int>> Components(IReadOnlyList<int> vertices, Func<int, IEnumerable<int>> neighbours)
    {
        ArgumentNullException.ThrowIfNull(vertices);
        ArgumentNullException.ThrowIfNull(neighbours);
        var index = new Dictionary<int, int>(vertices.Count);
        var names = new List<int>(vertices.Count);
        foreach (var v in vertices)
            if (index.TryAdd(v, names.Count)) names.Add(v);
        var offsets = new int[names.Count + 1];
        var targets = new List<int>();
        for (var i = 0; i < names.Count; i++)
        {
            foreach (var w in neighbours(names[i]))
                if (index.TryGetValue(w, out var j) && j != i) targets.Add(j);
            offsets[i + 1] = targets.Count;
        }
        var helper = new Connectivity(offsets, targets.ToArray());
        helper.BeginPass();
        var all = new int[names.Count];
        for (var i = 0; i < all.Length; i++) all[i] = i;
        var components = helper.Components<AllEdges>(all, default);
        foreach (var c in components)
            for (var i = 0; i < c.Count; i++) c[i] = names[c[i]];
        return components;
    }

    /// <summary>True when <paramref name="vertices"/> (any integers; an empty set or one vertex is connected) are
    /// connected through those <paramref name="edges"/> whose both ends are in the set.</summary>
    public static bool IsConnected(IReadOnlyCollection<int> vertices, IEnumerable<(int A, int B)> edges)
    {
        ArgumentNullException.ThrowIfNull(vertices);
        ArgumentNullException.ThrowIfNull(edges);
        if (vertices.Count <= 1) return true;
        var adjacency = new Dictionary<int, List<int>>(vertices.Count);
        foreach (var v in vertices) adjacency.TryAdd(v, []);
        foreach (var (a, b) in edges)
        {
            if (!adjacency.TryGetValue(a, out var la) || !adjacency.TryGetValue(b, out var lb)) continue;
            la.Add(b); lb.Add(a);
        }
        return Components(vertices as IReadOnlyList<int> ?? vertices.ToList(), v => adjacency[v]).Count <= 1;
    }

    /// <summary>The vertices of a list as a span (no copy), for the instance methods.</summary>
    internal static ReadOnlySpan<int> Span(List<int> list) => CollectionsMarshal.AsSpan(list);
}
