using CsCheck;
using GridMap.Domain.IO;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using static GridMap.Domain.Tests.Network.Wkt;

namespace GridMap.Domain.Tests.Network;

/// <summary>
/// The order of features in the utility's files must not change the network: shuffling pipes, valves, sources and
/// consumers gives the same segments (pipes and boundary valves), the same valve placement and the same findings.
/// Checked on the crews issue's reproducer and on the real DHNx Heide network with valves drawn exactly on its
/// junctions (distance 0 from every pipe meeting there — the case where the builder has to choose).
/// </summary>
public class FeatureOrderPropertyTests
{
    private static List<T> Shuffle<T>(IReadOnlyList<T> items, Random rnd)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rnd.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    private static NetworkInput Shuffled(NetworkInput input, int seed)
    {
        var rnd = new Random(seed);
        return new NetworkInput(Shuffle(input.Pipes, rnd), Shuffle(input.Valves ?? [], rnd), Shuffle(input.Sources ?? [], rnd),
            Shuffle(input.Consumers ?? [], rnd), Shuffle(input.Stations ?? [], rnd));
    }

    /// <summary>Segments as sorted sets of pipe ids and valve ids, independent of any index numbering.</summary>
    private static SortedSet<string> Canonical(NetworkGraph graph) =>
        new(SegmentIndex.Build(graph).Segments().Select(s =>
            string.Join(",", s.Pipes.Order(StringComparer.Ordinal)) + " | " + string.Join(",", s.Valves.Order(StringComparer.Ordinal))),
            StringComparer.Ordinal);

    private static SortedSet<string> Placement(NetworkGraph graph) =>
        new(Enumerable.Range(0, graph.Valves.Count).Select(v => graph.Valves[v].Id + "@" + (graph.PipeOfValve(v) is var p and >= 0 ? graph.Pipes[p].Id : "-")),
            StringComparer.Ordinal);

    private static SortedSet<string> Findings(NetworkGraph graph) =>
        new(graph.BuildFindings.Concat(NetworkValidator.Check(graph)).Select(f => f.Type + ":" + string.Join(",", f.Ids)), StringComparer.Ordinal);

    private static void AssertOrderIndependent(NetworkInput input, double snap, int iterations)
    {
        var reference = NetworkBuilder.Build(input, snap);
        var segments = Canonical(reference);
        var placement = Placement(reference);
        var findings = Findings(reference);
        Gen.Int.Sample(seed =>
        {
            var graph = NetworkBuilder.Build(Shuffled(input, seed), snap);
            Assert.Equal(segments, Canonical(graph));
            Assert.Equal(placement, Placement(graph));
            Assert.Equal(findings, Findings(graph));
        }, iter: iterations);
    }

    [Fact]
    public void Reproducer_AnyFeatureOrder_GivesTheSameTwoSegments()
    {
        var input = new NetworkInput(
            [Pipe("A", "LINESTRING(-1 0, 0 0)"), Pipe("B", "LINESTRING(0 0, 0 1)"),
             Pipe("C#stub#J", "LINESTRING(0 0, 0.002 0)"), Pipe("C", "LINESTRING(0.002 0, 0.2 0)")],
            [Valve("V1", 0.002, 0)], Sources: [Tap("S", -1, 0)], Consumers: [Tap("K", 0.2, 0)]);
        Assert.Equal(2, Canonical(NetworkBuilder.Build(input, 0.01)).Count);
        AssertOrderIndependent(input, 0.01, 100);
    }

    [Fact]
    public void RealNetwork_Heide_WithValvesOnItsJunctions_AnyFeatureOrder_GivesTheSameSegments()
    {
        var dir = TestData.Path_("network", "dhnx_heide");
        var pipes = FeatureFile.Read(Path.Combine(dir, "pipes.geojson")).Features
            .Select(f => new NetworkPipe(f.Id!, (LineString)f.Geometry!)).ToList();
        var producers = FeatureFile.Read(Path.Combine(dir, "producers.geojson")).Features
            .Select(f => new NetworkTap("producer-" + f.Id, (Point)f.Geometry!)).ToList();
        var consumers = FeatureFile.Read(Path.Combine(dir, "consumers.geojson")).Features
            .Select(f => new NetworkTap("consumer-" + f.Id, (Point)f.Geometry!, 1)).ToList();
        var bare = new NetworkInput(pipes, Sources: producers, Consumers: consumers);

        // A valve exactly on every other pipe end: at distance 0 from every pipe meeting there, so the builder
        // chooses the pipe — and plenty of them bound segments, so a different choice shows as different segments.
        var f = new GeometryFactory();
        var valves = new List<NetworkValve>();
        for (var i = 0; i < pipes.Count; i += 2)
            valves.Add(new NetworkValve($"V{i}", f.CreatePoint(pipes[i].Geometry.GetCoordinateN(i % 4 == 0 ? 0 : pipes[i].Geometry.NumPoints - 1))));
        var input = bare with { Valves = valves };
        Assert.True(Canonical(NetworkBuilder.Build(input, 0.5)).Count > 20, "the valves should cut Heide into many segments");
        AssertOrderIndependent(input, 0.5, 15);
    }
}
