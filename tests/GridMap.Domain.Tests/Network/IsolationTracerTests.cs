using GridMap.Domain.Model;
using GridMap.Domain.Network;
using static GridMap.Domain.Tests.Network.Wkt;

namespace GridMap.Domain.Tests.Network;

public class IsolationTracerTests
{
    //  S ── A ──V1── B ──V2── C ──V3── D (C1, 10 households)
    //                │
    //                V4
    //                │
    //                E (C2, 5 households)
    // Valves sit 0.2 from a junction, inside the 0.5 snap tolerance: each bounds exactly one pipe end.
    private static NetworkInput Line(params NetworkValve[] valves) => new(
        [
            Pipe("A", "LINESTRING(0 0, 10 0)"),
            Pipe("B", "LINESTRING(10 0, 20 0)"),
            Pipe("C", "LINESTRING(20 0, 30 0)"),
            Pipe("D", "LINESTRING(30 0, 40 0)"),
            Pipe("E", "LINESTRING(20 0, 20 10)"),
        ],
        valves.Length > 0 ? valves : [Valve("V1", 10.2, 0), Valve("V2", 20.2, 0), Valve("V3", 30.2, 0), Valve("V4", 20, 0.2)],
        [Tap("S", 0, 0)],
        [Tap("C1", 40, 0, 10), Tap("C2", 20, 10, 5)]);

    [Fact]
    public void Isolate_InTree_ClosesTheBoundaryValvesAndCutsOffEverythingDownstream()
    {
        var plan = IsolationTracer.Isolate(NetworkBuilder.Build(Line()), "C");
        Assert.Equal(["C"], plan.SegmentPipes);
        Assert.Equal(["V2", "V3"], plan.ValvesToClose);
        Assert.Equal(["V2"], plan.ValvesToCloseMin); // beyond V3 there is no source
        Assert.Empty(plan.ValvesAlreadyClosed);
        Assert.Equal(["D"], plan.CutOffPipes);
        Assert.Equal(["C1"], plan.AffectedConsumers);
        Assert.Equal(10, plan.AffectedHouseholds);
    }

    [Fact]
    public void Isolate_WithBrokenValve_GrowsToTheNextOperableValve()
    {
        var graph = NetworkBuilder.Build(Line());
        var plan = IsolationTracer.Isolate(graph, "C", inoperable: ["V3"]);
        Assert.Equal(["C", "D"], plan.SegmentPipes);
        Assert.Equal(["V2"], plan.ValvesToClose);
        Assert.Empty(plan.CutOffPipes);
        Assert.Equal(["C1"], plan.AffectedConsumers);

        var upstream = IsolationTracer.Isolate(graph, "C", inoperable: ["V2"]);
        Assert.Equal(["B", "C"], upstream.SegmentPipes);
        Assert.Equal(["V1", "V3", "V4"], upstream.ValvesToClose);
        Assert.Equal(["V1"], upstream.ValvesToCloseMin);
        Assert.Equal(["D", "E"], upstream.CutOffPipes);
        Assert.Equal(["C1", "C2"], upstream.AffectedConsumers);
        Assert.Equal(15, upstream.AffectedHouseholds);
    }

    [Fact]
    public void Isolate_NormallyClosedValve_BoundsTheSegmentAndNeverNeedsClosing_EvenWhenInoperable()
    {
        var input = Line(Valve("V1", 10.2, 0), Valve("V2", 20.2, 0), Valve("V3", 30.2, 0, OpenState.Closed, operable: false), Valve("V4", 20, 0.2));
        var plan = IsolationTracer.Isolate(NetworkBuilder.Build(input), "C");
        Assert.Equal(["C"], plan.SegmentPipes);
        Assert.Equal(["V2"], plan.ValvesToClose);
        Assert.Equal(["V3"], plan.ValvesAlreadyClosed);
        Assert.Empty(plan.CutOffPipes); // D was not supplied before: a closed valve carries no heat
        Assert.Empty(plan.AffectedConsumers);
    }

    [Fact]
    public void Isolate_InLoopFedFromBothEnds_NeedsBothValvesAndCutsNothingOff()
    {
        // Two sources feed a ring; isolating one stretch needs both neighbouring valves and leaves the rest supplied.
        var input = new NetworkInput(
            [
                Pipe("N", "LINESTRING(0 0, 10 0)"),
                Pipe("E", "LINESTRING(10 0, 10 10)"),
                Pipe("S", "LINESTRING(10 10, 0 10)"),
                Pipe("W", "LINESTRING(0 10, 0 0)"),
            ],
            [Valve("Va", 9.8, 0), Valve("Vb", 10, 9.8), Valve("Vc", 0.2, 10), Valve("Vd", 0, 0.2)],
            [Tap("S1", 0, 0), Tap("S2", 10, 10)],
            [Tap("K", 10, 0, 7)]);
        var plan = IsolationTracer.Isolate(NetworkBuilder.Build(input), "E");
        Assert.Equal(["E"], plan.SegmentPipes);
        Assert.Equal(["Va", "Vb"], plan.ValvesToClose);
        Assert.Equal(["Va", "Vb"], plan.ValvesToCloseMin);
        Assert.Empty(plan.CutOffPipes);
        // K sits on the N/E junction; Va is on N next to it, so the junction (and K) belong to E's segment.
        Assert.Equal(["K"], plan.AffectedConsumers);
        Assert.Equal(7, plan.AffectedHouseholds);
    }

    [Fact]
    public void Isolate_ClosedPipe_StaysInItsSegmentButCarriesNoHeat()
    {
        var input = new NetworkInput(
            [
                Pipe("A", "LINESTRING(0 0, 10 0)"),
                Pipe("B", "LINESTRING(10 0, 20 0)", OpenState.Closed),
                Pipe("C", "LINESTRING(20 0, 30 0)"),
            ],
            [Valve("V1", 9.8, 0), Valve("V2", 29.8, 0)],
            [Tap("S", 0, 0)],
            [Tap("K", 20, 0, 3)]);
        var graph = NetworkBuilder.Build(input);
        var index = SegmentIndex.Build(graph);
        // B is closed but lies between V1 and V2 with the end of C: one segment {B, C}.
        Assert.Equal(index.SegmentsOfPipe(graph.PipeIndex("B")), index.SegmentsOfPipe(graph.PipeIndex("C")));
        var plan = new IsolationTracer(index).Isolate("A");
        Assert.Equal(["V1"], plan.ValvesToClose);
        Assert.Empty(plan.ValvesToCloseMin); // the far side of V1 has no source: B is closed
        Assert.Empty(plan.CutOffPipes); // C and K were never supplied through the closed pipe
        Assert.Empty(plan.AffectedConsumers);
    }

    [Fact]
    public void Isolate_ValveInsidePipe_TakesTheSegmentOfItsLongerPart_OrTheWholePipeWhenAsked()
    {
        var input = new NetworkInput(
            [Pipe("A", "LINESTRING(0 0, 10 0)"), Pipe("B", "LINESTRING(10 0, 20 0)")],
            [Valve("Vmid", 4, 0), Valve("Vb", 19.8, 0)],
            [Tap("S", 0, 0)],
            [Tap("K", 20, 0, 4)]);
        var graph = NetworkBuilder.Build(input);
        var tracer = new IsolationTracer(SegmentIndex.Build(graph));
        Assert.Equal(2, tracer.Index.SegmentsOfPipe(graph.PipeIndex("A")).Count);

        var plan = tracer.Isolate("A"); // A's longer part (4..10) shares a segment with B
        Assert.Equal(["A", "B"], plan.SegmentPipes);
        Assert.Equal(["Vmid", "Vb"], plan.ValvesToClose);
        Assert.Equal(["Vmid"], plan.ValvesToCloseMin);
        Assert.Equal(["K"], plan.AffectedConsumers);

        var nearSource = tracer.IsolateAt("A", 1);
        Assert.Equal(["A"], nearSource.SegmentPipes);
        Assert.Equal(["Vmid"], nearSource.ValvesToClose);
        Assert.Empty(nearSource.ValvesToCloseMin); // the source itself is in the isolated segment
        Assert.Equal(["A", "B"], nearSource.CutOffPipes); // A's far part and B lose supply

        var whole = tracer.IsolateWhole("A");
        Assert.Equal(["Vb"], whole.ValvesToClose); // Vmid lies inside the isolated area
    }

    [Fact]
    public void Isolate_PrimaryPipe_CutsOffTheSecondaryBehindTheStationButSegmentsNeverCrossIt()
    {
        var input = new NetworkInput(
            [
                Pipe("P1", "LINESTRING(0 0, 10 0)", level: NetworkLevel.Primary),
                Pipe("S1", "LINESTRING(10 0, 20 0)", level: NetworkLevel.Secondary),
            ],
            [Valve("V", 0.2, 0)],
            [Tap("Src", 0, 0)],
            [Tap("K", 20, 0, 40)],
            [new NetworkStation("ST", new NetTopologySuite.Geometries.Point(10, 0))]);
        var graph = NetworkBuilder.Build(input);
        var index = SegmentIndex.Build(graph);
        Assert.NotEqual(index.SegmentsOfPipe(graph.PipeIndex("P1")), index.SegmentsOfPipe(graph.PipeIndex("S1")));
        var plan = new IsolationTracer(index).Isolate("P1");
        Assert.Equal(["P1"], plan.SegmentPipes);
        Assert.Equal(["S1"], plan.CutOffPipes);
        Assert.Equal(["K"], plan.AffectedConsumers);
        Assert.Equal(40, plan.AffectedHouseholds);
    }

    [Fact]
    public void Isolate_UnknownPipeOrValve_ThrowsNamingTheId()
    {
        var graph = NetworkBuilder.Build(Line());
        Assert.Contains("'nope'", Assert.Throws<KeyNotFoundException>(() => IsolationTracer.Isolate(graph, "nope")).Message);
        Assert.Contains("'V9'", Assert.Throws<KeyNotFoundException>(() => IsolationTracer.Isolate(graph, "A", ["V9"])).Message);
    }
}

public class StationDeviceTests
{
    [Fact]
    public void StationLink_SeparatesSegments_AndCarriesHeatOnlyFromPrimaryToSecondary()
    {
        // A "station" link from its primary end (first vertex) to its secondary end, and a source on each side.
        var input = new NetworkInput(
            [
                Pipe("P", "LINESTRING(0 0, 10 0)"),
                Pipe("HX", "LINESTRING(10 0, 12 0)", kind: "station"),
                Pipe("S", "LINESTRING(12 0, 22 0)"),
            ],
            [Valve("Vp", 0.2, 0), Valve("Vs", 21.8, 0)],
            [Tap("Src", 0, 0)],
            [Tap("K", 22, 0, 8)]);
        var graph = NetworkBuilder.Build(input);
        var index = SegmentIndex.Build(graph);
        Assert.Equal(["HX"], graph.StationIds);
        Assert.NotEqual(index.HomeSegmentOfPipe(graph.PipeIndex("P")), index.HomeSegmentOfPipe(graph.PipeIndex("S")));
        Assert.Throws<ArgumentException>(() => index.HomeSegmentOfPipe(graph.PipeIndex("HX")));

        var tracer = new IsolationTracer(index);
        var primary = tracer.Isolate("P");
        Assert.Equal(["S"], primary.CutOffPipes);   // heat no longer crosses the station
        Assert.Equal(["Vp"], primary.ValvesToClose); // the station is not a valve: nothing to close on its far side

        // Feeding the secondary side does not push heat back into the primary.
        var back = NetworkBuilder.Build(input with { Sources = [Tap("Sec", 22, 0)] });
        var fed = new NetworkTracer(back, new TraceOptions(CrossStations: true)).FromSources();
        Assert.Equal(["S"], fed.Pipes);
    }
}
