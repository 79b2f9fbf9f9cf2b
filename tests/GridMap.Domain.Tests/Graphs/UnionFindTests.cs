using CsCheck;
using GridMap.Domain.Graphs;

namespace GridMap.Domain.Tests.Graphs;

public class UnionFindTests
{
    [Fact]
    public void New_EveryElementIsItsOwnSet()
    {
        var sets = new UnionFind(4);
        Assert.Equal(4, sets.Count);
        Assert.Equal(4, sets.SetCount);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(i, sets.Find(i)));
        Assert.False(sets.Connected(0, 1));
    }

    [Fact]
    public void New_NoElements_HasNoSets()
    {
        var sets = new UnionFind(0);
        Assert.Equal(0, sets.SetCount);
        Assert.Empty(sets.Labels());
    }

    [Fact]
    public void New_NegativeCount_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new UnionFind(-1));

    [Fact]
    public void Union_OfTwoSets_JoinsThemAndCountsOneSetLess()
    {
        var sets = new UnionFind(5);
        Assert.True(sets.Union(0, 1));
        Assert.True(sets.Union(3, 4));
        Assert.True(sets.Union(1, 4));
        Assert.True(sets.Connected(0, 3));
        Assert.False(sets.Connected(0, 2));
        Assert.Equal(2, sets.SetCount);
    }

    [Fact]
    public void Union_WithinOneSet_ReturnsFalseAndChangesNothing()
    {
        var sets = new UnionFind(3);
        sets.Union(0, 1);
        sets.Union(1, 2);
        Assert.False(sets.Union(2, 0));
        Assert.False(sets.Union(1, 1));
        Assert.Equal(1, sets.SetCount);
    }

    [Fact]
    public void Smallest_IsTheLeastElement_WhateverTheOrderOfUnions()
    {
        (int A, int B)[][] orders = [[(5, 6), (6, 7), (2, 7)], [(2, 7), (7, 6), (6, 5)], [(7, 6), (5, 2), (6, 5)]];
        foreach (var order in orders)
        {
            var sets = new UnionFind(8);
            foreach (var (a, b) in order) sets.Union(a, b);
            Assert.All(new[] { 2, 5, 6, 7 }, x => Assert.Equal(2, sets.Smallest(x)));
            Assert.Equal(3, sets.Smallest(3));
        }
    }

    [Fact]
    public void Labels_NumberTheSetsInOrderOfTheirSmallestElement()
    {
        var sets = new UnionFind(6);
        sets.Union(5, 1);
        sets.Union(4, 2);
        sets.Union(2, 0);
        Assert.Equal([0, 1, 0, 2, 0, 1], sets.Labels());
    }

    [Fact]
    public void Union_OfALongChain_StaysShallow()
    {
        // Union by rank keeps trees at most log2(n) deep: 200,000 unions in the worst order for naive linking finish
        // at once and Find never recurses.
        const int n = 200_000;
        var sets = new UnionFind(n);
        for (var i = n - 1; i > 0; i--) sets.Union(i, i - 1);
        Assert.Equal(1, sets.SetCount);
        Assert.Equal(0, sets.Smallest(n - 1));
    }

    [Fact]
    public void Property_AgreesWithBreadthFirstComponents_OnRandomGraphs()
    {
        RandomGraphs.Graph.Sample(t =>
        {
            var (n, edges) = t;
            var sets = new UnionFind(n);
            foreach (var (a, b) in edges) sets.Union(a, b);
            var oracle = RandomGraphs.Labels(n, edges);
            Assert.Equal(oracle, sets.Labels());
            Assert.Equal(oracle.Max() + 1, sets.SetCount);
            for (var a = 0; a < n; a++)
            {
                Assert.Equal(Array.IndexOf(oracle, oracle[a]), sets.Smallest(a));
                for (var b = 0; b < n; b++) Assert.Equal(oracle[a] == oracle[b], sets.Connected(a, b));
            }
        });
    }
}
