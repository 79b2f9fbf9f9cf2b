using CsCheck;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.Network;

/// <summary>
/// Isolation invariants on random looped grids with random valves (some inoperable, some normally closed, some
/// inside pipes), closed pipes, sources and consumers — checked against an independent flood of the physical state.
/// The flood never uses segments or supply units; only "is this node in the isolated segment" comes from the index.
/// </summary>
public class IsolationPropertyTests
{
    private static NetworkInput RandomGrid(int w, int h, int seed)
    {
        var rnd = new Random(seed);
        var f = new GeometryFactory();
        var pipes = new List<NetworkPipe>();
        var valves = new List<NetworkValve>();
        for (var i = 0; i < w; i++)
            for (var j = 0; j < h; j++)
                foreach (var (dx, dy) in new[] { (1, 0), (0, 1) })
                {
                    if (i + dx >= w || j + dy >= h || rnd.NextDouble() < 0.15) continue;
                    double x1 = i * 10, y1 = j * 10, x2 = (i + dx) * 10, y2 = (j + dy) * 10;
                    var id = $"p{pipes.Count}";
                    pipes.Add(new NetworkPipe(id, f.CreateLineString([new(x1, y1), new(x2, y2)]), rnd.NextDouble() < 0.05 ? OpenState.Closed : OpenState.Open));
                    // A valve 0.2 inside either end (at that end, within the 0.5 tolerance), or in the middle.
                    foreach (var t in new[] { 0.02, 0.98, 0.5 })
                    {
                        if (rnd.NextDouble() >= (t == 0.5 ? 0.1 : 0.4)) continue;
                        valves.Add(new NetworkValve($"v{valves.Count}", f.CreatePoint(new Coordinate(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)),
                            rnd.NextDouble() < 0.1 ? OpenState.Closed : OpenState.Open, operable: rnd.NextDouble() >= 0.2));
                    }
                }
        Point Node() => f.CreatePoint(new Coordinate(rnd.Next(w) * 10, rnd.Next(h) * 10));
        var sources = Enumerable.Range(0, 1 + rnd.Next(2)).Select(k => new NetworkTap($"s{k}", Node())).ToList();
        var consumers = Enumerable.Range(0, 2 + rnd.Next(w * h / 2)).Select(k => new NetworkTap($"c{k}", Node(), 1 + rnd.Next(100))).ToList();
        return new NetworkInput(pipes, valves, sources, consumers);
    }

    /// <summary>Flood of the physical state from the given nodes: open pipes, open valves; extra valves shut; nodes in <paramref name="removed"/> never entered.</summary>
    private static bool[] Flood(NetworkGraph g, IEnumerable<int> starts, ISet<int> shut, Func<int, bool> removed)
    {
        var seen = new bool[g.NodeCount];
        var stack = new Stack<int>();
        foreach (var s in starts)
            if (s >= 0 && !removed(s) && !seen[s]) { seen[s] = true; stack.Push(s); }
        while (stack.Count > 0)
        {
            var u = stack.Pop();
            foreach (var e in g.EdgesAt(u))
            {
                var pass = g.KindOfEdge(e) switch
                {
                    EdgeKind.Piece => g.Pipes[g.PipeOfEdge(e)].Status == OpenState.Open,
                    EdgeKind.Valve => g.Valves[g.ValveOfEdge(e)].State == OpenState.Open && !shut.Contains(g.ValveOfEdge(e)),
                    _ => false,
                };
                var v = g.Opposite(e, u);
                if (!pass || seen[v] || removed(v)) continue;
                seen[v] = true;
                stack.Push(v);
            }
        }
        return seen;
    }

    [Fact]
    public void Isolate_OnRandomGrids_SealsTheSegment_MinimalSetSuffices_AndReportsExactlyWhatLosesSupply()
    {
        Gen.Select(Gen.Int[2, 7], Gen.Int[2, 7], Gen.Int).Sample((w, h, seed) =>
        {
            var input = RandomGrid(w, h, seed);
            if (input.Pipes.Count == 0) return;
            var g = NetworkBuilder.Build(input, 0.5);
            var index = SegmentIndex.Build(g);
            var tracer = new IsolationTracer(index);
            var sources = Enumerable.Range(0, g.Sources.Count).Select(g.NodeOfSource).ToList();
            var before = Flood(g, sources, new HashSet<int>(), _ => false);
            foreach (var pipe in g.Pipes)
            {
                var plan = tracer.Isolate(pipe.Id);
                var home = index.HomeSegmentOfPipe(g.PipeIndex(pipe.Id));
                bool InR(int n) => index.SegmentOfNode(n) == home;
                Assert.Contains(pipe.Id, plan.SegmentPipes);
                Assert.Subset(plan.ValvesToClose.ToHashSet(), plan.ValvesToCloseMin.ToHashSet());
                Assert.Empty(plan.ValvesToClose.Intersect(plan.ValvesAlreadyClosed));
                foreach (var v in plan.ValvesToClose.Concat(plan.ValvesAlreadyClosed))
                {
                    var valve = g.Valves[g.ValveIndex(v)];
                    Assert.True(valve.Operable || valve.State == OpenState.Closed, $"valve {v} cannot bound a segment");
                }
                foreach (var v in plan.ValvesToClose) Assert.Equal(OpenState.Open, g.Valves[g.ValveIndex(v)].State);

                var all = plan.ValvesToClose.Select(g.ValveIndex).ToHashSet();
                var min = plan.ValvesToCloseMin.Select(g.ValveIndex).ToHashSet();
                var outside = sources.Where(s => s >= 0 && !InR(s)).ToList();
                // Sealed: with every valve to close shut, the outside sources reach no node of the segment.
                var afterAll = Flood(g, outside, all, _ => false);
                for (var n = 0; n < g.NodeCount; n++) Assert.False(afterAll[n] && InR(n), $"seed {seed}: segment of {pipe.Id} still fed");
                // The minimal set alone seals it too...
                var afterMin = Flood(g, outside, min, _ => false);
                for (var n = 0; n < g.NodeCount; n++) Assert.False(afterMin[n] && InR(n), $"seed {seed}: minimal set leaves {pipe.Id} fed");
                // ...and each of its valves is needed: water still reaches its far side with the segment gone.
                var afterAllOut = Flood(g, outside, all, InR);
                foreach (var v in min)
                {
                    var e = g.EdgeOfValve(v);
                    var far = InR(g.From(e)) ? g.To(e) : g.From(e);
                    Assert.True(afterAllOut[far], $"seed {seed}: valve {g.Valves[v].Id} in the minimal set is not needed");
                }
                // Affected = consumers in the segment, plus those fed before and not any more.
                var expected = Enumerable.Range(0, g.Consumers.Count)
                    .Where(c => g.NodeOfConsumer(c) is var n && n >= 0 && (InR(n) || (before[n] && !afterAllOut[n])))
                    .Select(c => g.Consumers[c].Id).ToList();
                Assert.Equal(expected, plan.AffectedConsumers);
                Assert.Equal(expected.Sum(id => (long)g.Consumers[g.ConsumerIndex(id)].Households), plan.AffectedHouseholds);
            }
        }, iter: 150);
    }

    [Fact]
    public void Replan_WithInoperableValves_DerivedIncrementally_EqualsAFullRebuild_LabelsAndEveryPlan()
    {
        Gen.Select(Gen.Int[2, 7], Gen.Int[2, 7], Gen.Int).Sample((w, h, seed) =>
        {
            var input = RandomGrid(w, h, seed);
            if (input.Pipes.Count == 0 || g0(input) is not { Valves.Count: > 0 } g) return;
            var rnd = new Random(seed ^ 0x5eed);
            var normal = SegmentIndex.Build(g);
            // One to three rounds of valves found broken, each on top of the last (a crew re-planning twice).
            var current = normal;
            var broken = new HashSet<int>();
            for (var round = 0; round < 1 + rnd.Next(3); round++)
            {
                var more = Enumerable.Range(0, g.Valves.Count).Where(_ => rnd.NextDouble() < 0.3).ToHashSet();
                broken.UnionWith(more);
                current = current.WithInoperable(more);
                var full = new SegmentIndex(g, new HashSet<int>(broken));
                Assert.Equal(full.SegmentCount, current.SegmentCount);
                Assert.Equal(full.UnitCount, current.UnitCount);
                // The same partitions of the nodes (labels renumbered by smallest node, as a rebuild numbers them).
                Assert.Equal(full.NodeSegment, Canonical(g.NodeCount, current.Seg));
                Assert.Equal(full.NodeUnit, Canonical(g.NodeCount, current.Unit));
                Assert.Equal(Enumerable.Range(0, g.NodeCount).Select(full.IsSupplied), Enumerable.Range(0, g.NodeCount).Select(current.IsSupplied));
                // Valves that changed nothing may be left out of the derived index's set; every one that did is in it.
                Assert.True(current.ExtraInoperable.IsSubsetOf(broken));
                var a = new IsolationTracer(full);
                var b = new IsolationTracer(current);
                for (var p = 0; p < g.Pipes.Count; p++)
                {
                    if (g.Pipes[p].IsStationDevice) continue;
                    Assert.Equal(Describe(a.Isolate(p)), Describe(b.Isolate(p)));
                    Assert.Equal(Describe(a.IsolateWhole(g.Pipes[p].Id)), Describe(b.IsolateWhole(g.Pipes[p].Id)));
                }
            }
            // The normal index is not changed by deriving from it.
            Assert.Equal(SegmentIndex.Build(g).NodeSegment, normal.NodeSegment);
        }, iter: 150);

        static int[] Canonical(int n, Func<int, int> label)
        {
            var renumber = new Dictionary<int, int>();
            return Enumerable.Range(0, n).Select(i => renumber.TryGetValue(label(i), out var l) ? l : renumber[label(i)] = renumber.Count).ToArray();
        }

        static NetworkGraph g0(NetworkInput input) => NetworkBuilder.Build(input, 0.5);
        static string Describe(IsolationPlan p) => string.Join(" | ", p.Pipe, string.Join(",", p.SegmentPipes), string.Join(",", p.ValvesToClose),
            string.Join(",", p.ValvesToCloseMin), string.Join(",", p.ValvesAlreadyClosed), string.Join(",", p.CutOffPipes), string.Join(",", p.AffectedConsumers), p.AffectedHouseholds);
    }

    [Fact]
    public void Replan_WithOnlyValvesThatAlreadyConductOrAreClosed_ReusesTheIndex()
    {
        var f = new GeometryFactory();
        var input = new NetworkInput(
            [new NetworkPipe("a", f.CreateLineString([new(0, 0), new(10, 0)])), new NetworkPipe("b", f.CreateLineString([new(10, 0), new(20, 0)]))],
            [new NetworkValve("shut", f.CreatePoint(new Coordinate(10, 0)), OpenState.Closed), new NetworkValve("seized", f.CreatePoint(new Coordinate(5, 0)), OpenState.Open, operable: false)],
            [new NetworkTap("s", f.CreatePoint(new Coordinate(0, 0)))],
            [new NetworkTap("c", f.CreatePoint(new Coordinate(20, 0)), 3)]);
        var g = NetworkBuilder.Build(input, 0.5);
        var index = SegmentIndex.Build(g);
        Assert.Same(index, index.WithInoperable(new HashSet<int> { g.ValveIndex("seized") }));
        Assert.Same(index, index.WithInoperable(new HashSet<int> { g.ValveIndex("shut") })); // a closed valve still bounds
    }
}
