using System.Text.Json.Serialization;

namespace GridMap.Application.Network;

/// <summary>
/// The offline topology, format <c>gridmap-topology/1</c> (<c>GET /api/network/topology</c>, built by
/// <see cref="TopologyPackage"/>): the whole graph as parallel int arrays, indexed by node, edge, pipe, valve, source
/// and consumer index. The crew client's <c>src/crew/isolation.ts</c> reads it.
/// </summary>
/// <param name="Format">Always <c>gridmap-topology/1</c>.</param>
/// <param name="Version">The <c>network_change</c> counter the graph was built at.</param>
/// <param name="SnapToleranceM">Pipe ends, valves and taps this close (metres) were joined.</param>
/// <param name="NodeCount">Nodes are 0 … node_count − 1.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyDocument(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("snap_tolerance_m")] double SnapToleranceM,
    [property: JsonPropertyName("node_count")] int NodeCount,
    [property: JsonPropertyName("pipes")] TopologyPipes Pipes,
    [property: JsonPropertyName("edges")] TopologyEdges Edges,
    [property: JsonPropertyName("valves")] TopologyValves Valves,
    [property: JsonPropertyName("sources")] TopologySources Sources,
    [property: JsonPropertyName("consumers")] TopologyConsumers Consumers,
    [property: JsonPropertyName("compounds")] TopologyCompounds Compounds)
{
    public const string FormatName = "gridmap-topology/1";

    /// <summary>Present on an area package (<see cref="AreaTopology"/>): what it covers; absent on the city's.</summary>
    [JsonPropertyName("area")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TopologyArea? Area { get; init; }
}

/// <summary>Per pipe index: database id, normally closed (1/0), station device (1/0).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyPipes(
    [property: JsonPropertyName("id")] long[] Id,
    [property: JsonPropertyName("closed")] int[] Closed,
    [property: JsonPropertyName("device")] int[] Device);

/// <summary>
/// Per edge index. Kinds: 0 a reportable pipe piece, 1 a zero-length stub piece (topology only), 2 a valve, 3 a
/// station (from = primary side). Pieces of one pipe are consecutive, in order along the pipe.
/// </summary>
/// <param name="Kind">0 piece, 1 stub, 2 valve, 3 station.</param>
/// <param name="From">Node at the edge's start.</param>
/// <param name="To">Node at the edge's end.</param>
/// <param name="Pipe">Pipe index of a piece, else −1.</param>
/// <param name="Ref">Valve index of a valve edge, else −1.</param>
/// <param name="Length">Piece length (metres) where a pipe has several reportable pieces, else 0: only to pick a pipe's longest piece.</param>
/// <param name="End">Where a piece ends along its pipe (metres from its first vertex, to the mm); 0 for other edges.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyEdges(
    [property: JsonPropertyName("kind")] int[] Kind,
    [property: JsonPropertyName("from")] int[] From,
    [property: JsonPropertyName("to")] int[] To,
    [property: JsonPropertyName("pipe")] int[] Pipe,
    [property: JsonPropertyName("ref")] int[] Ref,
    [property: JsonPropertyName("length")] double[] Length,
    [property: JsonPropertyName("end")] double[] End)
{
    public const int Piece = 0;
    public const int Stub = 1;
    public const int Valve = 2;
    public const int Station = 3;
}

/// <summary>Per valve index: database id, normally closed (1/0), operable (1/0), its edge, WGS84 position (1e-6°).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyValves(
    [property: JsonPropertyName("id")] long[] Id,
    [property: JsonPropertyName("closed")] int[] Closed,
    [property: JsonPropertyName("operable")] int[] Operable,
    [property: JsonPropertyName("edge")] int[] Edge,
    [property: JsonPropertyName("lon")] double[] Lon,
    [property: JsonPropertyName("lat")] double[] Lat);

/// <summary>Per source index: graph id ("17", "17:return") and node.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologySources(
    [property: JsonPropertyName("id")] string[] Id,
    [property: JsonPropertyName("node")] int[] Node);

/// <summary>Per consumer index (a compound once per flow): compound id (−1 if none), return side (1/0), node, households.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyConsumers(
    [property: JsonPropertyName("compound")] long[] Compound,
    [property: JsonPropertyName("return")] int[] Return,
    [property: JsonPropertyName("node")] int[] Node,
    [property: JsonPropertyName("households")] int[] Households);

/// <summary>Every compound, ascending id: id, name, households.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyCompounds(
    [property: JsonPropertyName("id")] int[] Id,
    [property: JsonPropertyName("name")] string[] Name,
    [property: JsonPropertyName("households")] int[] Households);
