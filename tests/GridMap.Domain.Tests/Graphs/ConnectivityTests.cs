using CsCheck;
using GridMap.Domain.Graphs;

namespace GridMap.Domain.Tests.Graphs;

public class ConnectivityTests
{
    // 0 – 1 – 2   3 – 4   5
    private static readonly (int A, int B)[] TwoPiecesAndASingle = [(0, 1), (1, 2), (3, 4)];

    /// <summary>Follows only edges whose both ends are even, or both odd.</summary>
    private readonly struct SameParity : IEdgeFilter
    {
        public bool Follow(int from, int edge, int to) => (from & 1) == (to & 1);
    }

    private static Connectivity Helper(int n, IEnumerable<(int A, int B)> edges)
    {
        var (offsets, targets) = RandomGraphs.Csr(n, edges);
        var helper = new Connectivity(offsets, targets);
        helper.BeginPass();
        return helper;
    }

    [Fact]
    public void Connected_TwoComponents_IsFalse() => Assert.False(Connectivity.IsConnected([0, 1, 3], TwoPiecesAndASingle));

    [Fact]
    public void Connected_OnePiece_IsTrue() => Assert.True(Connectivity.IsConnected([2, 0, 1], TwoPiecesAndASingle));

    [Fact]
    public void Connected_EmptySetOrOneVertex_IsTrue()
    {
        Assert.True(Connectivity.IsConnected([], TwoPiecesAndASingle));
        Assert.True(Connectivity.IsConnected([5], TwoPiecesAndASingle));
    }

    [Fact]
    public void Connected_OnlyThroughAVertexOutsideTheSet_IsFalse() => Assert.False(Connectivity.IsConnected([0, 2], TwoPiecesAndASingle));

    [Fact]
    public void Connected_VerticesAreAnyIntegers_AndRepeatsCountOnce() =>
        Assert.True(Connectivity.IsConnected([-7, 1_000_000, -7], [(-7, 1_000_000), (1_000_000, 42)]));

    [Fact]
    public void Components_ComeInOrderOfTheirFirstVertex_AndIgnoreNeighboursOutsideTheSet()
    {
        var adj = RandomGraphs.Adjacency(6, TwoPiecesAndASingle);
        var pieces = Connectivity.Components([4, 5, 0, 1, 3], v => adj[v]);
        Assert.Equal(3, pieces.Count);
        Assert.Equal([4, 3], pieces[0]);
        Assert.Equal([5], pieces[1]);
        Assert.Equal([0, 1], pieces[2]);
    }

    [Fact]
    public void Flood_ListsVerticesDepthFirst_NeighboursTakenLastInFirstOut()
    {
        // Star 0 – {1, 2, 3} with 3 – 4: the stack takes 0, then its last neighbour 3, then 4, then 2 and 1. The engine
        // moves units in this order, so it is part of the contract.
        var helper = Helper(5, [(0, 1), (0, 2), (0, 3), (3, 4)]);
        var order = new List<int>();
        Assert.Equal(5, helper.Flood<AllEdges>(0, default, order));
        Assert.Equal([0, 3, 4, 2, 1], order);
    }

    [Fact]
    public void Flood_FromAVertexAlreadySeenInThePass_EntersNothing()
    {
        var helper = Helper(6, TwoPiecesAndASingle);
        Assert.Equal(3, helper.Flood<AllEdges>(0, default));
        Assert.Equal(0, helper.Flood<AllEdges>(2, default));
        Assert.Equal(2, helper.Flood<AllEdges>(3, default));
        helper.BeginPass();
        Assert.False(helper.Seen(2));
        Assert.Equal(3, helper.Flood<AllEdges>(2, default));
    }

    [Fact]
    public void Flood_FollowsOnlyEdgesTheFilterAdmits()
    {
        // 0 – 1 – 2 – 3 – 4 with a chord 0 – 2 – 4 of even vertices: the parity filter keeps only the chord.
        var helper = Helper(5, [(0, 1), (1, 2), (2, 3), (3, 4), (0, 2), (2, 4)]);
        var order = new List<int>();
        helper.Flood(0, new SameParity(), order);
        Assert.Equal([0, 2, 4], order.Order());
    }

    [Fact]
    public void Joined_ThroughVerticesThatAreNotTerminals_IsTrue()
    {
        var helper = Helper(6, TwoPiecesAndASingle);
        Assert.True(helper.Joined<AllEdges>([0, 2], default));
    }

    [Fact]
    public void Joined_TerminalsInTwoComponents_IsFalse()
    {
        var helper = Helper(6, TwoPiecesAndASingle);
        Assert.False(helper.Joined<AllEdges>([0, 4], default));
    }

    [Fact]
    public void Joined_AroundAnExcludedCutVertex_IsFalse_AroundAnExcludedLeaf_IsTrue()
    {
        // Can a unit leave its cell? Its neighbours must stay connected without it: 1 is a cut vertex of the path, 2 a leaf.
        var helper = Helper(6, TwoPiecesAndASingle);
        helper.Exclude(1);
        Assert.False(helper.Joined<AllEdges>([0, 2], default));
        helper.BeginPass();
        helper.Exclude(2);
        Assert.True(helper.Joined<AllEdges>([1], default));
        Assert.True(helper.Joined<AllEdges>([0, 1, 0], default));
    }

    [Fact]
    public void Joined_AnExcludedTerminal_IsFalse()
    {
        var helper = Helper(6, TwoPiecesAndASingle);
        helper.Exclude(2);
        Assert.False(helper.Joined<AllEdges>([0, 2], default));
    }

    [Fact]
    public void Joined_NoTerminalsOrOne_IsTrue()
    {
        var helper = Helper(6, TwoPiecesAndASingle);
        Assert.True(helper.Joined<AllEdges>([], default));
        Assert.True(helper.Joined<AllEdges>([5], default));
        Assert.True(helper.Joined<AllEdges>([5, 5], default));
    }

    [Fact]
    public void New_GraphThatIsNotCompressedSparseRows_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Connectivity([0, 1], [1]));       // target 1 is not a vertex of a 1-vertex graph
        Assert.Throws<ArgumentException>(() => new Connectivity([0, 2, 1], [1, 0])); // offsets decrease
        Assert.Throws<ArgumentException>(() => new Connectivity([0, 1], [0, 0]));    // offsets do not cover the targets
        Assert.Throws<ArgumentException>(() => new Connectivity([], []));
    }

    [Fact]
    public void Property_AgreesWithUnionFindAndBreadthFirstComponents_OnRandomGraphs()
    {
        Gen.Select(RandomGraphs.Graph, Gen.Int).Sample((t, seed) =>
        {
            var (n, edges) = t;
            var sets = new UnionFind(n);
            foreach (var (a, b) in edges) sets.Union(a, b);
            var oracle = RandomGraphs.Labels(n, edges);
            var helper = Helper(n, edges);

            // Whole graph: one flood per component, of the component's size.
            for (var s = 0; s < n; s++)
            {
                var entered = helper.Flood<AllEdges>(s, default);
                Assert.Equal(sets.Smallest(s) == s ? oracle.Count(l => l == oracle[s]) : 0, entered);
            }

            // Random terminals: joined exactly when union-find has them in one set.
            var rng = new Random(seed);
            var terminals = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => rng.Next(n)).ToArray();
            helper.BeginPass();
            Assert.Equal(terminals.All(x => sets.Connected(x, terminals[0])), helper.Joined<AllEdges>(terminals, default));

            // Random subset: the pieces of the induced subgraph are the components of the subgraph's own edges.
            var subset = Enumerable.Range(0, n).Where(_ => rng.Next(2) == 0).ToList();
            var inSubset = subset.ToHashSet();
            var inner = edges.Where(e => inSubset.Contains(e.A) && inSubset.Contains(e.B)).ToList();
            var innerLabels = RandomGraphs.Labels(n, inner);
            var expected = subset.Select(v => innerLabels[v]).Distinct().Count();
            Assert.Equal(expected <= 1, Connectivity.IsConnected(subset, edges));
            var adj = RandomGraphs.Adjacency(n, edges);
            var pieces = Connectivity.Components(subset, v => adj[v]);
            Assert.Equal(expected, pieces.Count);
            Assert.All(pieces, p => Assert.Single(p.Select(v => innerLabels[v]).Distinct()));
            Assert.Equal(subset.Order(), pieces.SelectMany(p => p).Order());
        });
    }
}
