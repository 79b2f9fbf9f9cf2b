using GridMap.Application.Network;
using GridMap.Domain.Network;
using GridMap.Domain.Rules;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Tests.Network;

/// <summary>The crew's valve order (shared by GET /api/network/isolate and `gridmap network isolate`), on small planar networks.</summary>
public sealed class CrewIsolationTests
{
    private static readonly GeometryFactory Gf = new();

    private static LineString Line(params double[] xy) =>
        Gf.CreateLineString(Enumerable.Range(0, xy.Length / 2).Select(i => new Coordinate(xy[2 * i], xy[2 * i + 1])).ToArray());

    private static NetworkValve Valve(string id, double x, double y, string? pipe = null) => new(id, Gf.CreatePoint(new Coordinate(x, y)), pipeId: pipe);

    private static IsolationTracer Tracer(IEnumerable<NetworkPipe> pipes, IEnumerable<NetworkValve> valves)
    {
        var source = new NetworkTap("S", Gf.CreatePoint(new Coordinate(0, 0)));
        return new IsolationTracer(SegmentIndex.Build(NetworkBuilder.Build(new NetworkInput(pipes.ToList(), valves.ToList(), [source], []), 0.5)));
    }

    [Fact]
    public void Isolate_WithoutABurst_ListsTheRequiredValveFirst_EvenWhenTheOptionalOneIsNearer()
    {
        // S ── A (0–10) ──V1(10.2)── B (10–40) ──V2(39)── C (40–50): B's segment, middle at x = 25. V2 is nearer (14 m
        // against 14.8 m) but only leads to C, which loses supply anyway; V1 keeps the source's water out of B.
        var tracer = Tracer([new NetworkPipe("A", Line(0, 0, 10, 0)), new NetworkPipe("B", Line(10, 0, 40, 0)), new NetworkPipe("C", Line(40, 0, 50, 0))],
            [Valve("V1", 10.2, 0, "B"), Valve("V2", 39, 0, "B")]);
        var r = CrewIsolation.Isolate(tracer, tracer.Index.Graph.PipeIndex("B"));

        Assert.Equal(new Coordinate(25, 0), r.Burst);
        Assert.Equal(["V1", "V2"], r.Valves.Select(v => v.Id));
        Assert.Equal([14.8, 14.0], r.Valves.Select(v => Math.Round(v.Distance, 6)));
        Assert.Equal([true, false], r.Valves.Select(v => v.Required));
        Assert.Equal(r.Plan.ValvesToClose.Order(), r.Valves.Select(v => v.Id).Order());
    }

    [Fact]
    public void Isolate_AtABurst_IsolatesTheSegmentHoldingIt_AndWalksFromThePointOnThePipe()
    {
        // V3 cuts B at x = 15: B's home segment is its longer part (15–39); a burst at x = 12 lies in A-side piece 10.2–15.
        var tracer = Tracer([new NetworkPipe("A", Line(0, 0, 10, 0)), new NetworkPipe("B", Line(10, 0, 40, 0)), new NetworkPipe("C", Line(40, 0, 50, 0))],
            [Valve("V1", 10.2, 0, "B"), Valve("V2", 39, 0, "B"), Valve("V3", 15, 0, "B")]);
        var b = tracer.Index.Graph.PipeIndex("B");

        var home = CrewIsolation.Isolate(tracer, b);
        Assert.Equal(["V2", "V3"], home.Valves.Select(v => v.Id).Order());

        var at = CrewIsolation.Isolate(tracer, b, new Coordinate(12, 3));
        Assert.Equal(new Coordinate(12, 0), at.Burst);
        Assert.Equal(["V1", "V3"], at.Valves.Select(v => v.Id));
        Assert.Equal([1.8, 3.0], at.Valves.Select(v => Math.Round(v.Distance, 6)));
    }

    [Fact]
    public void Isolate_WithTheCrewsPosition_OrdersValvesOfOneKindByDistanceFromTheCrew()
    {
        // S ── A ──V1── B ──V2── C ── T: sources at both ends, so both of B's valves are required; the crew stands at
        // x = 38, next to V2: V2 first, although V1 is nearer the burst at x = 12.
        var input = new NetworkInput(
            [new NetworkPipe("A", Line(0, 0, 10, 0)), new NetworkPipe("B", Line(10, 0, 40, 0)), new NetworkPipe("C", Line(40, 0, 50, 0))],
            [Valve("V1", 10.2, 0, "B"), Valve("V2", 39, 0, "B")],
            [new NetworkTap("S", Gf.CreatePoint(new Coordinate(0, 0))), new NetworkTap("T", Gf.CreatePoint(new Coordinate(50, 0)))], []);
        var tracer = new IsolationTracer(SegmentIndex.Build(NetworkBuilder.Build(input, 0.5)));
        var b = tracer.Index.Graph.PipeIndex("B");
        Assert.Equal(["V1", "V2"], CrewIsolation.Isolate(tracer, b, new Coordinate(12, 0)).Valves.Select(v => v.Id));
        var fromCrew = CrewIsolation.Isolate(tracer, b, new Coordinate(12, 0), crew: new Coordinate(38, 1));
        Assert.Equal(["V2", "V1"], fromCrew.Valves.Select(v => v.Id));
        Assert.All(fromCrew.Valves, v => Assert.True(v.Required));
    }

    [Fact]
    public void WalkingOrder_BreaksExactTiesByNumericId()
    {
        // Valves 10 and 9 equally far (5 m) either side of the burst at x = 20, both required (sources at both ends):
        // 9 before 10 (numbers, not text).
        var input = new NetworkInput(
            [new NetworkPipe("1", Line(0, 0, 15, 0)), new NetworkPipe("2", Line(15, 0, 25, 0)), new NetworkPipe("3", Line(25, 0, 40, 0))],
            [Valve("10", 15, 0, "2"), Valve("9", 25, 0, "2")],
            [new NetworkTap("S", Gf.CreatePoint(new Coordinate(0, 0))), new NetworkTap("T", Gf.CreatePoint(new Coordinate(40, 0)))], []);
        var tracer = new IsolationTracer(SegmentIndex.Build(NetworkBuilder.Build(input, 0.5)));
        var r = CrewIsolation.Isolate(tracer, tracer.Index.Graph.PipeIndex("2"));
        Assert.Equal(["9", "10"], r.Valves.Select(v => v.Id));
    }

    [Fact]
    public void Isolate_AStationDevice_IsRefusedWithTheNotIsolatableRule()
    {
        var tracer = Tracer([new NetworkPipe("P", Line(0, 0, 10, 0)), new NetworkPipe("HX", Line(10, 0, 12, 0), kind: "station"), new NetworkPipe("Q", Line(12, 0, 20, 0))], []);
        var e = Assert.Throws<RuleViolation>(() => CrewIsolation.Isolate(tracer, tracer.Index.Graph.PipeIndex("HX")));
        Assert.Equal(RuleCodes.NotIsolatable, e.Code);
    }
}
