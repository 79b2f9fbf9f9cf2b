using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using static GridMap.Domain.Tests.Network.Wkt;

namespace GridMap.Domain.Tests.Network;

/// <summary>
/// Where a valve drawn at distance 0 from several pipes goes, whatever the order of the input; when that choice is
/// worth a finding; and valves that separate nothing.
/// </summary>
public class ValvePlacementTests
{
    private const double Snap = 0.01;

    // The reproducer of the crews issue: C#stub#J is shorter than the tolerance, so both its ends snap to the
    // junction at (0,0); V1 sits at distance 0 from the stub's end and from C's start.
    private static readonly NetworkPipe A = Pipe("A", "LINESTRING(-1 0, 0 0)");
    private static readonly NetworkPipe B = Pipe("B", "LINESTRING(0 0, 0 1)");
    private static readonly NetworkPipe Stub = Pipe("C#stub#J", "LINESTRING(0 0, 0.002 0)");
    private static readonly NetworkPipe C = Pipe("C", "LINESTRING(0.002 0, 0.2 0)");

    private static NetworkGraph Reproducer(params NetworkPipe[] pipes) => NetworkBuilder.Build(new NetworkInput(
        pipes, [Valve("V1", 0.002, 0)], Sources: [Tap("S", -1, 0)], Consumers: [Tap("K", 0.2, 0)]), Snap);

    [Fact]
    public void ValveBesideAStubShorterThanTheTolerance_GoesOnTheRealPipe_InEitherOrder()
    {
        var stubFirst = Reproducer(A, B, Stub, C);
        var cFirst = Reproducer(A, B, C, Stub);
        foreach (var graph in new[] { stubFirst, cFirst })
        {
            Assert.Equal("C", graph.Pipes[graph.PipeOfValve(0)].Id);
            Assert.Equal(2, SegmentIndex.Build(graph).SegmentCount);
            var plan = IsolationTracer.Isolate(graph, "C");
            Assert.Equal(["V1"], plan.ValvesToClose);
            Assert.Equal(["K"], plan.AffectedConsumers);
            Assert.DoesNotContain(graph.BuildFindings, f => f.Type == FindingTypes.ValveAmbiguous);
            Assert.DoesNotContain(NetworkValidator.Check(graph), f => f.Type == FindingTypes.ValveWithinSegment);
        }
    }

    [Fact]
    public void ValveOnAPipeWhoseEndsShareOneJunction_IsReported_NamingTheValveAndThePipe()
    {
        // Only the stub carries the valve (its pipe attribute says so): it separates nothing.
        var graph = NetworkBuilder.Build(new NetworkInput([A, B, Stub, C],
            [new NetworkValve("V1", new Point(0.002, 0), pipeId: "C#stub#J")],
            Sources: [Tap("S", -1, 0)], Consumers: [Tap("K", 0.2, 0)]), Snap);
        var f = Assert.Single(NetworkValidator.Check(graph), f => f.Type == FindingTypes.ValveWithinSegment);
        Assert.Equal(["V1", "C#stub#J"], f.Ids);
        Assert.Empty(IsolationTracer.Isolate(graph, "C").ValvesToClose);
    }

    [Fact]
    public void ValveAloneOnALoop_IsReported_AndAValveThatBoundsIsNot()
    {
        // A square loop S→(0,0)→(10,0)→(10,10)→(0,10)→(0,0) with one valve on its far side, and a spur with a valve.
        var graph = NetworkBuilder.Build(new NetworkInput([
                Pipe("in", "LINESTRING(-5 0, 0 0)"),
                Pipe("l1", "LINESTRING(0 0, 10 0)"), Pipe("l2", "LINESTRING(10 0, 10 10)"),
                Pipe("l3", "LINESTRING(10 10, 0 10)"), Pipe("l4", "LINESTRING(0 10, 0 0)"),
                Pipe("spur", "LINESTRING(10 10, 20 10)")],
            [Valve("loop", 10, 5), Valve("spurValve", 15, 10)], Sources: [Tap("S", -5, 0)]), 0.5);
        var within = NetworkValidator.Check(graph).Where(f => f.Type == FindingTypes.ValveWithinSegment).ToList();
        var f = Assert.Single(within);
        Assert.Equal(["loop", "l2"], f.Ids);
    }

    [Fact]
    public void ValveWhereTwoPipesMeet_IsNotAmbiguous_InEitherOrder()
    {
        foreach (var order in new[] { new[] { "p", "q" }, ["q", "p"] })
        {
            var all = new Dictionary<string, NetworkPipe>
            {
                ["p"] = Pipe("p", "LINESTRING(0 0, 5 0)"),
                ["q"] = Pipe("q", "LINESTRING(5 0, 10 0)"),
            };
            var graph = NetworkBuilder.Build(new NetworkInput(order.Select(id => all[id]).ToList(), [Valve("v", 5, 0)],
                Sources: [Tap("S", 0, 0)], Consumers: [Tap("K", 10, 0)]), 0.5);
            Assert.DoesNotContain(graph.BuildFindings, f => f.Type == FindingTypes.ValveAmbiguous);
            Assert.Equal("p", graph.Pipes[graph.PipeOfValve(0)].Id);
            Assert.Equal(["v"], IsolationTracer.Isolate(graph, "q").ValvesToClose);
        }
    }

    [Fact]
    public void ValveAtATeeWithoutAPipeAttribute_IsAmbiguous_AndPlacedTheSameInEveryOrder()
    {
        var pipes = new[]
        {
            Pipe("west", "LINESTRING(-5 0, 0 0)"), Pipe("east", "LINESTRING(0 0, 5 0)"), Pipe("north", "LINESTRING(0 0, 0 5)"),
        };
        string? placed = null;
        foreach (var order in new[] { new[] { 0, 1, 2 }, [2, 1, 0], [1, 2, 0] })
        {
            var graph = NetworkBuilder.Build(new NetworkInput(order.Select(i => pipes[i]).ToList(), [Valve("v", 0, 0)]), 0.5);
            var f = Assert.Single(graph.BuildFindings, f => f.Type == FindingTypes.ValveAmbiguous);
            var on = graph.Pipes[graph.PipeOfValve(0)].Id;
            Assert.Equal(["v", on], f.Ids);
            placed ??= on;
            Assert.Equal(placed, on);
        }
        Assert.Equal("east", placed); // smallest id (ordinal) among equals
    }

    [Fact]
    public void ValveWhereTwoPipesMeet_WithAConsumerOnThatJunction_IsAmbiguous()
    {
        var graph = NetworkBuilder.Build(new NetworkInput([Pipe("p", "LINESTRING(0 0, 5 0)"), Pipe("q", "LINESTRING(5 0, 10 0)")],
            [Valve("v", 5, 0)], Sources: [Tap("S", 0, 0)], Consumers: [Tap("K", 5, 0)]), 0.5);
        Assert.Single(graph.BuildFindings, f => f.Type == FindingTypes.ValveAmbiguous);
    }
}
