using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Domain.Tests.Network;

/// <summary>
/// DHNx "Heide" sample: a real-street district-heating network in EPSG:4647 (metres), one producer, 158 consumers.
/// Valves are added by a rule of ours — at every fork, one on each branch, 1 m into the pipe — and every pipe is
/// isolated; each plan is checked against an independent walk of the graph.
/// </summary>
public class DhnxHeideTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const double Snap = 0.5;
    private const double ValveSetback = 1.0; // beyond the snap tolerance: the valve really cuts a 1 m stub off the pipe

    private static (NetworkInput Input, FeatureSet Pipes) Read()
    {
        var dir = TestData.Path_("network", "dhnx_heide");
        var pipes = FeatureFile.Read(Path.Combine(dir, "pipes.geojson"));
        Assert.Equal(Crs.Etrs89Utm32NZone, pipes.Crs);
        var list = pipes.Features.Select(f => new NetworkPipe(f.Id!, (LineString)f.Geometry!)).ToList();
        var producers = FeatureFile.Read(Path.Combine(dir, "producers.geojson")).Features
            .Select(f => new NetworkTap("producer-" + f.Id, (Point)f.Geometry!)).ToList();
        // No household counts in DHNx: one household per consumer, so households count consumers.
        var consumers = FeatureFile.Read(Path.Combine(dir, "consumers.geojson")).Features
            .Select(f => new NetworkTap("consumer-" + f.Id, (Point)f.Geometry!, 1)).ToList();
        return (new NetworkInput(list, Sources: producers, Consumers: consumers), pipes);
    }

    /// <summary>Our rule: at each junction where three or more pipes meet, a valve on every pipe, 1 m from the junction.</summary>
    private static List<NetworkValve> ValvesAtForks(NetworkInput input)
    {
        var graph = NetworkBuilder.Build(input, Snap);
        var valves = new List<NetworkValve>();
        var f = new GeometryFactory();
        for (var node = 0; node < graph.NodeCount; node++)
        {
            if (graph.KindOfNode(node) != NodeKind.Junction || graph.EdgesAt(node).Length < 3) continue;
            foreach (var e in graph.EdgesAt(node).ToArray())
            {
                var pipe = graph.Pipes[graph.PipeOfEdge(e)];
                var line = pipe.Geometry;
                var along = graph.From(e) == node ? ValveSetback : line.Length - ValveSetback;
                valves.Add(new NetworkValve($"V{valves.Count}", f.CreatePoint(new LengthIndexedLine(line).ExtractPoint(along)), pipeId: pipe.Id));
            }
        }
        return valves;
    }

    [Fact]
    public void Heide_BuildsCleanly_AndEveryConsumerIsReachedFromTheProducer()
    {
        var (input, _) = Read();
        var graph = NetworkBuilder.Build(input, Snap);
        Assert.Equal(333, graph.Pipes.Count);
        Assert.Empty(NetworkValidator.Check(graph));
        var fed = new NetworkTracer(graph).FromSources();
        Assert.Equal(158, fed.Consumers.Count);
        Assert.Equal(333, fed.Pipes.Count);
        Assert.Equal(158, fed.Households);
        // Upstream from any consumer's pipe ends at the producer.
        Assert.Equal("producer-0", new NetworkTracer(graph).Upstream(graph.Pipes[^1].Id).EndsAt);
    }

    [Fact]
    public void Heide_IsolatingEveryPipe_ClosesValvesThatReallyCutTheSegmentOff()
    {
        var (input, _) = Read();
        var valves = ValvesAtForks(input);
        Assert.True(valves.Count > 100, $"rule placed only {valves.Count} valves");
        var graph = NetworkBuilder.Build(input with { Valves = valves }, Snap);
        Assert.Empty(graph.BuildFindings);
        var index = SegmentIndex.Build(graph);
        var tracer = new IsolationTracer(index);
        var producer = graph.NodeOfSource(0);
        Assert.True(index.SegmentCount > valves.Count / 3);
        var plans = graph.Pipes.Select(p => tracer.Isolate(p.Id)).ToList();
        output.WriteLine($"heide: {graph.Pipes.Count} pipes, {valves.Count} valves, {index.SegmentCount} segments; " +
            $"isolation: mean {plans.Average(p => p.ValvesToClose.Count):0.0} valves to close ({plans.Average(p => p.ValvesToCloseMin.Count):0.0} minimal), " +
            $"max {plans.Max(p => p.AffectedConsumers.Count)} consumers affected");

        foreach (var pipe in graph.Pipes)
        {
            var plan = tracer.Isolate(pipe.Id);
            Assert.Contains(pipe.Id, plan.SegmentPipes);
            Assert.Empty(plan.ValvesToClose.Intersect(plan.ValvesAlreadyClosed));
            Assert.Subset(plan.ValvesToClose.ToHashSet(), plan.ValvesToCloseMin.ToHashSet());
            Assert.Equal(plan.AffectedConsumers.Count, plan.AffectedHouseholds);

            var home = index.HomeSegmentOfPipe(graph.PipeIndex(pipe.Id));
            var producerInside = index.SegmentOfNode(producer) == home;
            var closedAll = Walk(graph, producer, plan.ValvesToClose);
            var closedMin = Walk(graph, producer, plan.ValvesToCloseMin);

            if (producerInside)
            {
                // Nothing can flow back into a segment that holds the only source.
                Assert.Empty(plan.ValvesToCloseMin);
                continue;
            }
            // The minimal set isolates exactly as well as closing every boundary valve.
            Assert.Equal(Consumers(graph, closedAll), Consumers(graph, closedMin));
            // With the plan's valves closed, no node of the segment is reached from the producer...
            for (var n = 0; n < graph.NodeCount; n++)
                if (index.SegmentOfNode(n) == home) Assert.False(closedMin[n], $"pipe {pipe.Id}: segment still fed");
            // ...and the affected consumers are exactly those the producer no longer reaches.
            var unreached = Enumerable.Range(0, graph.Consumers.Count).Where(c => !closedAll[graph.NodeOfConsumer(c)])
                .Select(c => graph.Consumers[c].Id).ToList();
            Assert.Equal(unreached, plan.AffectedConsumers);
        }
    }

    /// <summary>Independent flood from the producer over pieces and open valves, with <paramref name="closed"/> valves shut.</summary>
    private static bool[] Walk(NetworkGraph g, int start, IEnumerable<string> closed)
    {
        var shut = closed.Select(g.ValveIndex).ToHashSet();
        var seen = new bool[g.NodeCount];
        var stack = new Stack<int>([start]);
        seen[start] = true;
        while (stack.Count > 0)
        {
            var u = stack.Pop();
            foreach (var e in g.EdgesAt(u))
            {
                if (g.KindOfEdge(e) == EdgeKind.Valve && shut.Contains(g.ValveOfEdge(e))) continue;
                var w = g.Opposite(e, u);
                if (seen[w]) continue;
                seen[w] = true;
                stack.Push(w);
            }
        }
        return seen;
    }

    private static HashSet<int> Consumers(NetworkGraph g, bool[] reached) =>
        Enumerable.Range(0, g.Consumers.Count).Where(c => reached[g.NodeOfConsumer(c)]).ToHashSet();
}
