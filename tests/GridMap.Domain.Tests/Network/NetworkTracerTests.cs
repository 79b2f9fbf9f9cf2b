using GridMap.Domain.Model;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using static GridMap.Domain.Tests.Network.Wkt;

namespace GridMap.Domain.Tests.Network;

public class NetworkTracerTests
{
    //  Src ── P1 ── P2 ──[ST]── S1 ── S2 (K1, 30 hh)
    //          │                 └── S3 (K2, 20 hh)
    //          P3 (K3, 5 hh)
    private static NetworkGraph Graph(OpenState p3 = OpenState.Open) => NetworkBuilder.Build(new NetworkInput(
        [
            Pipe("P1", "LINESTRING(0 0, 10 0)", level: NetworkLevel.Primary),
            Pipe("P2", "LINESTRING(10 0, 20 0)", level: NetworkLevel.Primary),
            Pipe("P3", "LINESTRING(10 0, 10 -10)", p3, NetworkLevel.Primary),
            Pipe("S1", "LINESTRING(20 0, 30 0)", level: NetworkLevel.Secondary),
            Pipe("S2", "LINESTRING(30 0, 40 0)", level: NetworkLevel.Secondary),
            Pipe("S3", "LINESTRING(30 0, 30 10)", level: NetworkLevel.Secondary),
        ],
        [Valve("V", 10.2, 0)],
        [Tap("Src", 0, 0)],
        [Tap("K1", 40, 0, 30), Tap("K2", 30, 10, 20), Tap("K3", 10, -10, 5)],
        [new NetworkStation("ST", new Point(20, 0))]), 0.5);

    [Fact]
    public void Connected_FromTheSecondary_StopsAtTheStation_UnlessAsked()
    {
        var g = Graph();
        var local = new NetworkTracer(g).Connected("S2");
        Assert.Equal(["S1", "S2", "S3"], local.Pipes);
        Assert.Equal(["ST"], local.Stations);
        Assert.Empty(local.Sources);
        var across = new NetworkTracer(g, new TraceOptions(CrossStations: true)).Connected("S2");
        Assert.Equal(["P1", "P2", "P3", "S1", "S2", "S3"], across.Pipes);
        Assert.Equal(["Src"], across.Sources);
    }

    [Fact]
    public void Connected_RespectsAClosedPipe()
    {
        var r = new NetworkTracer(Graph(p3: OpenState.Closed)).Connected("P1");
        Assert.DoesNotContain("P3", r.Pipes);
        Assert.DoesNotContain("K3", r.Consumers);
    }

    [Fact]
    public void Downstream_OfAPrimaryPipe_ReachesConsumersBehindTheStationOnlyWhenCrossing()
    {
        var g = Graph();
        var across = new NetworkTracer(g, new TraceOptions(CrossStations: true)).Downstream("P2");
        Assert.Equal(["K1", "K2"], across.Consumers);
        Assert.Equal(50, across.Households);
        Assert.Empty(new NetworkTracer(g).Downstream("P2").Consumers);
        Assert.Equal(["ST"], new NetworkTracer(g).Downstream("P2").Stations);
    }

    [Fact]
    public void Upstream_FromTheSecondary_EndsAtTheStation_OrAtTheSourceWhenCrossing()
    {
        var g = Graph();
        var toStation = new NetworkTracer(g).Upstream("S2");
        Assert.Equal("ST", toStation.EndsAt);
        Assert.Equal(["S2", "S1"], toStation.Pipes);
        var toSource = new NetworkTracer(g, new TraceOptions(CrossStations: true)).Upstream("S2");
        Assert.Equal("Src", toSource.EndsAt);
        Assert.Equal(["S2", "S1", "P2", "P1"], toSource.Pipes);
        Assert.Equal(["V"], toSource.Valves);
        Assert.Equal(30, toSource.Length, 6); // measured from the pipe's nearer end
    }

    [Fact]
    public void StationServiceArea_CountsTheCompoundsAndHouseholdsBehindIt()
    {
        var area = Assert.Single(new NetworkTracer(Graph()).StationServiceAreas());
        Assert.Equal("ST", area.Station);
        Assert.Equal(["K1", "K2"], area.Consumers);
        Assert.Equal(50, area.Households);
    }

    [Fact]
    public void ShortestPath_BetweenTwoPipes_FollowsTheGeometry()
    {
        var path = new NetworkTracer(Graph()).ShortestPath("P3", "P2");
        Assert.NotNull(path);
        Assert.Equal(["P3", "P2"], path.Pipes);
    }

    [Fact]
    public void SinglePointsOfFailure_InATree_AreThePipesFeedingConsumers_WithWhatTheyCutOff()
    {
        var spof = new NetworkTracer(Graph(), new TraceOptions(CrossStations: true)).SinglePointsOfFailure();
        var byPipe = spof.ToDictionary(s => s.Pipe);
        Assert.Equal(55, byPipe["P1"].HouseholdsCutOff);
        Assert.Equal(50, byPipe["P2"].HouseholdsCutOff);
        Assert.Equal(5, byPipe["P3"].HouseholdsCutOff);
        Assert.Equal(30, byPipe["S2"].HouseholdsCutOff);
    }

    [Fact]
    public void SinglePointsOfFailure_InARingFedTwice_AreNone()
    {
        var g = NetworkBuilder.Build(new NetworkInput(
            [
                Pipe("n", "LINESTRING(0 0, 10 0)"), Pipe("e", "LINESTRING(10 0, 10 10)"),
                Pipe("s", "LINESTRING(10 10, 0 10)"), Pipe("w", "LINESTRING(0 10, 0 0)"),
            ],
            Sources: [Tap("A", 0, 0)], Consumers: [Tap("K", 10, 10, 9)]));
        Assert.Empty(new NetworkTracer(g).SinglePointsOfFailure());
    }
}

public class StationServiceAreaTests
{
    [Fact]
    public void ServiceAreas_OfTwoStationsOnOnePrimary_AreSeparate()
    {
        var g = NetworkBuilder.Build(new NetworkInput(
            [
                Pipe("P1", "LINESTRING(0 0, 100 0)", level: NetworkLevel.Primary),
                Pipe("P2", "LINESTRING(100 0, 200 0)", level: NetworkLevel.Primary),
                Pipe("A1", "LINESTRING(100 0, 100 50)", level: NetworkLevel.Secondary),
                Pipe("B1", "LINESTRING(200 0, 200 50)", level: NetworkLevel.Secondary),
                Pipe("B2", "LINESTRING(200 0, 250 0)", level: NetworkLevel.Secondary),
            ],
            Sources: [Tap("Src", 0, 0)],
            Consumers: [Tap("KA", 100, 50, 120), Tap("KB1", 200, 50, 80), Tap("KB2", 250, 0, 60)],
            Stations: [new NetworkStation("SA", new Point(100, 0)), new NetworkStation("SB", new Point(200, 0))]), 0.5);
        var areas = new NetworkTracer(g).StationServiceAreas().ToDictionary(a => a.Station);
        Assert.Equal(["KA"], areas["SA"].Consumers);
        Assert.Equal(120, areas["SA"].Households);
        Assert.Equal(["KB1", "KB2"], areas["SB"].Consumers);
        Assert.Equal(["B1", "B2"], areas["SB"].Pipes);
        // The primary passes station SA's point without entering its secondary side.
        Assert.Equal(["P1", "P2"], new NetworkTracer(g).Connected("P1").Pipes);
    }
}
