using System.Globalization;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Domain.Tests.Network;

/// <summary>
/// WNTR's valve-layer segments on EPANET Net3 (and the CCWI17 example) are the reference: a valve on `link` next
/// to `node` is placed as a point on that pipe close to that node, and our segments must form the same partition
/// of links and of nodes as WNTR's expected segment labels.
/// </summary>
public class Net3SegmentTests
{
    // Net3 map units are small (the network spans ~40 units, the shortest pipe < 1 unit): a tight tolerance.
    private const double Snap = 1e-3;

    private static (EpanetModel Model, NetworkGraph Graph) BuildWithValveLayer(string inp, IEnumerable<(string Link, string Node)> layer)
    {
        var model = EpanetInpReader.Read(inp);
        var input = model.ToNetworkInput();
        var nodes = model.Nodes.ToDictionary(n => n.Id);
        var pipes = input.Pipes.ToDictionary(p => p.Id);
        var links = model.Links.ToDictionary(l => l.Id);
        var f = new GeometryFactory();
        var valves = new List<NetworkValve>();
        var i = 0;
        foreach (var (link, node) in layer)
        {
            var line = pipes[link].Geometry;
            Assert.True(links[link].Node1 == node || links[link].Node2 == node, $"valve layer row: link {link} does not end at node {node}");
            // Half the tolerance from the node, along the link: "on that pipe, close to that node".
            var along = links[link].Node1 == node ? Snap / 2 : line.Length - Snap / 2;
            var at = new LengthIndexedLine(line).ExtractPoint(along);
            valves.Add(new NetworkValve($"V{i++}", f.CreatePoint(at)));
        }
        var graph = NetworkBuilder.Build(input with { Valves = valves }, Snap);
        return (model, graph);
    }

    private static IEnumerable<(string Link, string Node)> ReadValveLayer(string csv) =>
        File.ReadAllLines(csv).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(','))
            .Select(t => (t[1].Trim(), t[2].Trim()));

    private static Dictionary<string, string> ReadLabels(string csv) =>
        File.ReadAllLines(csv).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(','))
            .ToDictionary(t => t[0].Trim(), t => t[1].Trim());

    /// <summary>Groups keys by label: two labelings are the same partition when these sets of sets are equal.</summary>
    private static HashSet<string> Partition<TLabel>(IEnumerable<KeyValuePair<string, TLabel>> labels) where TLabel : notnull =>
        labels.GroupBy(kv => kv.Value).Select(g => string.Join("|", g.Select(kv => kv.Key).Order(StringComparer.Ordinal))).ToHashSet();

    private static int NodeOf(NetworkGraph graph, EpanetNode node)
    {
        for (var n = 0; n < graph.NodeCount; n++)
            if (graph.KindOfNode(n) == NodeKind.Junction && graph.NodeLocation(n).Distance(new Coordinate(node.X, node.Y)) <= Snap)
                return n;
        throw new InvalidOperationException($"node {node.Id} not in graph");
    }

    [Theory]
    [InlineData("valve_layer_random.csv", "link_segments_random.csv", "node_segments_random.csv", 23)]
    [InlineData("valve_layer_stategic_1.csv", "link_segments_strategic.csv", "node_segments_strategic.csv", 119)]
    public void Segments_OnNet3WithWntrValveLayer_EqualWntrSegments(string layerFile, string linkFile, string nodeFile, int expectedSegments)
    {
        var dir = TestData.Path_("network", "net3");
        var (model, graph) = BuildWithValveLayer(Path.Combine(dir, "Net3.inp"), ReadValveLayer(Path.Combine(dir, layerFile)));
        Assert.Empty(graph.BuildFindings);
        var index = SegmentIndex.Build(graph);

        var expectedLinks = ReadLabels(Path.Combine(dir, linkFile));
        var expectedNodes = ReadLabels(Path.Combine(dir, nodeFile));
        Assert.Equal(model.Links.Count, expectedLinks.Count);
        Assert.Equal(model.Nodes.Count, expectedNodes.Count);

        var ourLinks = new Dictionary<string, int>();
        foreach (var link in model.Links)
        {
            var segs = index.SegmentsOfPipe(graph.PipeIndex(link.Id));
            Assert.Single(segs); // valves sit at pipe ends, so no link is cut in two
            ourLinks[link.Id] = segs[0];
        }
        var ourNodes = model.Nodes.ToDictionary(n => n.Id, n => index.SegmentOfNode(NodeOf(graph, n)));

        Assert.Equal(Partition(expectedLinks), Partition(ourLinks));
        Assert.Equal(Partition(expectedNodes), Partition(ourNodes));
        // Links and nodes share segment labels: the joint partition must match too (a node belongs with its links).
        var joint = expectedLinks.Select(kv => KeyValuePair.Create("L" + kv.Key, kv.Value))
            .Concat(expectedNodes.Select(kv => KeyValuePair.Create("N" + kv.Key, kv.Value)));
        var ourJoint = ourLinks.Select(kv => KeyValuePair.Create("L" + kv.Key, kv.Value))
            .Concat(ourNodes.Select(kv => KeyValuePair.Create("N" + kv.Key, kv.Value)));
        Assert.Equal(Partition(joint), Partition(ourJoint));

        Assert.Equal(expectedSegments, expectedLinks.Values.Concat(expectedNodes.Values).Distinct().Count());
        Assert.Equal(expectedSegments, index.Segments().Count);
    }

    [Fact]
    public void Segments_OnCcwi17WithWntrTestValves_AreFourAndLargestHoldsEleven()
    {
        // WNTR's own segmentation test on the CCWI17 (Herman & Mahmoud) example: these five valves give four
        // segments, the largest holding 11 elements (5 nodes + 6 links); n6 alone is a node-only segment.
        var dir = TestData.Path_("network", "net3");
        var layer = new[] { ("p1", "n1"), ("p3", "n2"), ("p7", "n5"), ("p7", "n6"), ("p8", "n6") };
        var (model, graph) = BuildWithValveLayer(Path.Combine(dir, "CCWI17-HermanMahmoud.inp"), layer);
        var index = SegmentIndex.Build(graph);
        Assert.Equal(4, index.Segments().Count);
        var sizes = new Dictionary<int, int>();
        foreach (var link in model.Links)
            foreach (var s in index.SegmentsOfPipe(graph.PipeIndex(link.Id))) sizes[s] = sizes.GetValueOrDefault(s) + 1;
        foreach (var node in model.Nodes)
        {
            var s = index.SegmentOfNode(NodeOf(graph, node));
            sizes[s] = sizes.GetValueOrDefault(s) + 1;
        }
        Assert.Equal(11, sizes.Values.Max());
        Assert.Equal(model.Nodes.Count + model.Links.Count, sizes.Values.Sum());
    }

    [Fact]
    public void Read_Net3_HasAllNodesAndLinks()
    {
        var model = EpanetInpReader.Read(TestData.Path_("network", "net3", "Net3.inp"));
        Assert.Equal(97, model.Nodes.Count);
        Assert.Equal(119, model.Links.Count);
        Assert.Equal(2, model.Links.Count(l => l.Type == "pump"));
        Assert.Equal(Model.OpenState.Closed, model.Links.Single(l => l.Id == "10").Status);
        Assert.Equal(5, model.Nodes.Count(n => n.Type is "reservoir" or "tank"));
        _ = CultureInfo.InvariantCulture;
    }
}
