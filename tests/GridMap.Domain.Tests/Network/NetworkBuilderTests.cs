using GridMap.Domain.Network;
using static GridMap.Domain.Tests.Network.Wkt;

namespace GridMap.Domain.Tests.Network;

public class NetworkBuilderTests
{
    [Fact]
    public void Build_EndsWithinTolerance_AreJoined_AndFartherEndsAreNot()
    {
        var input = new NetworkInput([
            Pipe("a", "LINESTRING(0 0, 10 0)"),
            Pipe("b", "LINESTRING(10.3 0, 20 0)"),   // 0.3 away: joined at tolerance 0.5
            Pipe("c", "LINESTRING(20.8 0, 30 0)"),   // 0.8 away: not joined
        ]);
        var graph = NetworkBuilder.Build(input, 0.5);
        Assert.Equal(5, graph.NodeCount);
        var a = graph.EdgesOfPipe(graph.PipeIndex("a")).Single();
        var b = graph.EdgesOfPipe(graph.PipeIndex("b")).Single();
        Assert.Equal(graph.To(a), graph.From(b));
        Assert.Equal(6, NetworkBuilder.Build(input, 1.0).NodeCount + 2); // at tolerance 1 all three join: 4 nodes
    }

    [Fact]
    public void Build_ValveWithinToleranceOfAPipeEnd_SitsAtThatEnd_LeavingAZeroLengthStub()
    {
        var graph = NetworkBuilder.Build(new NetworkInput([Pipe("a", "LINESTRING(0 0, 10 0)")], [Valve("v", 9.7, 0.1)]), 0.5);
        var edges = graph.EdgesOfPipe(0).ToArray();
        Assert.Equal([EdgeKind.Piece, EdgeKind.Valve, EdgeKind.Piece], edges.Select(graph.KindOfEdge));
        Assert.Equal(10, graph.EdgeLength(edges[0]));
        Assert.Equal(0, graph.EdgeLength(edges[2]));
        Assert.False(graph.IsReportable(edges[2]));
    }

    [Fact]
    public void Build_KeepsIdsAndRejectsDuplicates()
    {
        var graph = NetworkBuilder.Build(new NetworkInput([Pipe("P-1", "LINESTRING(0 0, 1 0)"), Pipe("10", "LINESTRING(1 0, 2 0)")]));
        Assert.Equal(1, graph.PipeIndex("10"));
        var e = Assert.Throws<ArgumentException>(() => NetworkBuilder.Build(new NetworkInput([Pipe("x", "LINESTRING(0 0, 1 0)"), Pipe("x", "LINESTRING(1 0, 2 0)")])));
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void Build_ValveFarFromEveryPipe_IsReportedAndIgnored()
    {
        var graph = NetworkBuilder.Build(new NetworkInput([Pipe("a", "LINESTRING(0 0, 10 0)")], [Valve("far", 5, 3)]), 0.5);
        var f = Assert.Single(graph.BuildFindings);
        Assert.Equal(FindingTypes.ValveNotOnPipe, f.Type);
        Assert.Equal(["far"], f.Ids);
        Assert.Equal(-1, graph.EdgeOfValve(0));
    }

    [Fact]
    public void Build_ConsumerBesideAPipe_SplitsItThere()
    {
        var graph = NetworkBuilder.Build(new NetworkInput([Pipe("a", "LINESTRING(0 0, 10 0)")], Consumers: [Tap("k", 4, 0.2)]), 0.5);
        Assert.Equal(2, graph.EdgesOfPipe(0).Count());
        Assert.Equal(NodeKind.Tap, graph.KindOfNode(graph.NodeOfConsumer(0)));
    }
}

public class NearestPipeTests
{
    [Fact]
    public void NearestPipes_AreOrderedByDistance_WithThePositionAlongEach_AndLimitedByDistance()
    {
        var g = NetworkBuilder.Build(new NetworkInput([
            Wkt.Pipe("far", "LINESTRING(0 10, 20 10)"),
            Wkt.Pipe("near", "LINESTRING(0 0, 20 0)"),
            Wkt.Pipe("out", "LINESTRING(0 100, 20 100)"),
        ]));
        var near = g.NearestPipes(5, 3, count: 5, maxDistance: 20);
        Assert.Equal(["near", "far"], near.Select(n => n.Id));
        Assert.Equal(3, near[0].Distance, 9);
        Assert.Equal(5, near[0].Along, 9);
        Assert.Equal(new NetTopologySuite.Geometries.Coordinate(5, 0), near[0].Nearest);
        Assert.Single(g.NearestPipes(5, 3, count: 1, maxDistance: 20));
    }
}
