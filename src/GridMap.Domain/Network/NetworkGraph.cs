using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Domain.Network;

/// <summary>A pipe near a position: distance (coordinate units), position along the pipe and the nearest point on it.</summary>
public sealed record NearPipe(int Pipe, string Id, double Distance, double Along, Coordinate Nearest);

/// <summary>What an edge of the <see cref="NetworkGraph"/> is.</summary>
public enum EdgeKind : byte
{
    /// <summary>A stretch of one pipe between two nodes (a pipe is cut into pieces at valves and taps).</summary>
    Piece,
    /// <summary>A valve: a zero-length edge between the two pieces of the pipe it sits on.</summary>
    Valve,
    /// <summary>A station device: primary side → secondary side. Carries heat one way, never water.</summary>
    Station,
}

/// <summary>What a node of the <see cref="NetworkGraph"/> is.</summary>
public enum NodeKind : byte
{
    /// <summary>Pipe ends joined within the snap tolerance.</summary>
    Junction,
    /// <summary>One side of a valve.</summary>
    ValveSide,
    /// <summary>Where a source or consumer splits a pipe.</summary>
    Tap,
    /// <summary>The primary side of a station point.</summary>
    StationPrimary,
    /// <summary>The secondary side of a station point.</summary>
    StationSecondary,
}

/// <summary>
/// An immutable node/edge graph built from pipe geometry by <see cref="NetworkBuilder"/>. Every input element
/// keeps its id; internally everything is an int index so a service can hold the graph in memory and answer
/// traces and isolations in milliseconds.
/// </summary>
/// <remarks>
/// <para>Model (the same model a TypeScript port for offline use must follow):</para>
/// <list type="bullet">
/// <item>Nodes are junctions (pipe ends within the snap tolerance), the two sides of each valve, taps (where a
/// source or consumer splits a pipe) and the two sides of each station point.</item>
/// <item>A pipe becomes one or more <see cref="EdgeKind.Piece"/> edges, cut at its valves and taps in order of
/// position along the pipe. A valve is a zero-length <see cref="EdgeKind.Valve"/> edge between two pieces; a
/// valve at a pipe end leaves a zero-length "stub" piece between the junction and the valve, so the valve
/// separates exactly that pipe from that junction.</item>
/// <item>A station is an <see cref="EdgeKind.Station"/> edge from its primary to its secondary side.</item>
/// </list>
/// Coordinates are planar (metres, or map units for local data); lengths are along-pipe lengths in the same unit.
/// </remarks>
public sealed class NetworkGraph
{
    internal NetworkGraph() { }

    /// <summary>Snap tolerance the graph was built with (coordinate units, ≥ 0).</summary>
    public double SnapTolerance { get; internal init; }

    /// <summary>Input pipes in input order; a pipe's index is its position here.</summary>
    public required IReadOnlyList<NetworkPipe> Pipes { get; init; }
    public required IReadOnlyList<NetworkValve> Valves { get; init; }
    public required IReadOnlyList<NetworkTap> Sources { get; init; }
    public required IReadOnlyList<NetworkTap> Consumers { get; init; }
    /// <summary>Station ids: input station points first, then pipes of kind "station".</summary>
    public required IReadOnlyList<string> StationIds { get; init; }

    /// <summary>Findings found while building (valves and taps not on the network, ambiguous valves, unknown station sides).</summary>
    public required IReadOnlyList<NetworkFinding> BuildFindings { get; init; }

    internal double[] NodeX = null!;
    internal double[] NodeY = null!;
    internal NodeKind[] NodeKinds = null!;
    internal int[] EdgeFrom = null!;
    internal int[] EdgeTo = null!;
    internal EdgeKind[] EdgeKinds = null!;
    /// <summary>Pipe index of a piece or of a station-device pipe; -1 otherwise.</summary>
    internal int[] EdgePipe = null!;
    /// <summary>Valve index of a valve edge, station index of a station edge; -1 for pieces.</summary>
    internal int[] EdgeRef = null!;
    /// <summary>Along-pipe start and end of a piece, in coordinate units.</summary>
    internal double[] EdgeStart = null!;
    internal double[] EdgeEnd = null!;
    internal int[] AdjStart = null!;
    internal int[] AdjEdge = null!;
    internal int[] PipeFirstEdge = null!;
    internal int[] PipeEdgeCount = null!;
    internal double[] PipeLength = null!;
    /// <summary>Edge index of each valve, -1 when the valve is not on any pipe.</summary>
    internal int[] ValveEdge = null!;
    /// <summary>Node of each source / consumer, -1 when not on the network.</summary>
    internal int[] SourceNode = null!;
    internal int[] ConsumerNode = null!;
    internal int[] StationEdge = null!;
    internal Dictionary<string, int> PipeIndexById = null!;
    internal Dictionary<string, int> ValveIndexById = null!;
    internal Dictionary<string, int> SourceIndexById = null!;
    internal Dictionary<string, int> ConsumerIndexById = null!;

    public int NodeCount => NodeX.Length;
    public int EdgeCount => EdgeFrom.Length;

    public NodeKind KindOfNode(int node) => NodeKinds[node];
    public Coordinate NodeLocation(int node) => new(NodeX[node], NodeY[node]);
    public EdgeKind KindOfEdge(int edge) => EdgeKinds[edge];
    public int From(int edge) => EdgeFrom[edge];
    public int To(int edge) => EdgeTo[edge];
    /// <summary>The other end of <paramref name="edge"/> seen from <paramref name="node"/>.</summary>
    public int Opposite(int edge, int node) => EdgeFrom[edge] == node ? EdgeTo[edge] : EdgeFrom[edge];
    /// <summary>Pipe index of a piece or station-device pipe, -1 for valves and station points.</summary>
    public int PipeOfEdge(int edge) => EdgePipe[edge];
    /// <summary>Valve index of a valve edge, else -1.</summary>
    public int ValveOfEdge(int edge) => EdgeKinds[edge] == EdgeKind.Valve ? EdgeRef[edge] : -1;
    /// <summary>Length of an edge in coordinate units (0 for valves and stations).</summary>
    public double EdgeLength(int edge) => EdgeKinds[edge] == EdgeKind.Piece ? EdgeEnd[edge] - EdgeStart[edge] : 0;

    /// <summary>
    /// True when a piece counts when pipes are reported: it has a length, or its whole pipe has none.
    /// Zero-length stubs left by a valve at a pipe end are topology only.
    /// </summary>
    public bool IsReportable(int edge) =>
        EdgeKinds[edge] == EdgeKind.Piece && (EdgeEnd[edge] - EdgeStart[edge] > 0 || PipeLength[EdgePipe[edge]] <= 0);

    /// <summary>Edges incident to <paramref name="node"/>.</summary>
    public ReadOnlySpan<int> EdgesAt(int node) => AdjEdge.AsSpan(AdjStart[node], AdjStart[node + 1] - AdjStart[node]);

    /// <summary>The pieces (or the station-device edge) of pipe <paramref name="pipe"/>, in order along it.</summary>
    public IEnumerable<int> EdgesOfPipe(int pipe) => Enumerable.Range(PipeFirstEdge[pipe], PipeEdgeCount[pipe]);

    /// <summary>The valve's edge, or -1 when the valve is not on any pipe.</summary>
    public int EdgeOfValve(int valve) => ValveEdge[valve];

    /// <summary>The pipe a placed valve sits on, or -1 when it was not placed (the builder cuts a pipe as piece,
    /// valve, piece, so the edge before a valve edge is a piece of its pipe).</summary>
    public int PipeOfValve(int valve) => ValveEdge[valve] is var e and > 0 ? EdgePipe[e - 1] : -1;
    /// <summary>The node a source is attached to, or -1.</summary>
    public int NodeOfSource(int source) => SourceNode[source];
    /// <summary>The node a consumer is attached to, or -1.</summary>
    public int NodeOfConsumer(int consumer) => ConsumerNode[consumer];

    public int PipeIndex(string id) => PipeIndexById.TryGetValue(id, out var i) ? i : throw new KeyNotFoundException($"Unknown pipe id '{id}'.");
    public int ValveIndex(string id) => ValveIndexById.TryGetValue(id, out var i) ? i : throw new KeyNotFoundException($"Unknown valve id '{id}'.");
    public int ConsumerIndex(string id) => ConsumerIndexById.TryGetValue(id, out var i) ? i : throw new KeyNotFoundException($"Unknown consumer id '{id}'.");
    public int SourceIndex(string id) => SourceIndexById.TryGetValue(id, out var i) ? i : throw new KeyNotFoundException($"Unknown source id '{id}'.");
    public bool TryGetPipeIndex(string id, out int index) => PipeIndexById.TryGetValue(id, out index);
    public bool TryGetValveIndex(string id, out int index) => ValveIndexById.TryGetValue(id, out index);

    /// <summary>
    /// The piece of pipe <paramref name="pipe"/> that holds the position <paramref name="along"/> (coordinate
    /// units from the pipe's first vertex, clamped to the pipe).
    /// </summary>
    public int PieceAt(int pipe, double along)
    {
        var first = PipeFirstEdge[pipe];
        var best = first;
        for (var e = first; e < first + PipeEdgeCount[pipe]; e++)
        {
            if (EdgeKinds[e] != EdgeKind.Piece) continue;
            if (EdgeEnd[e] - EdgeStart[e] <= 0 && PipeLength[pipe] > 0) continue;
            best = e;
            if (along <= EdgeEnd[e]) break;
        }
        return best;
    }

    private STRtree<int>? _pipeTree;
    private readonly Lock _treeLock = new();

    /// <summary>
    /// Pipes within <paramref name="maxDistance"/> of (<paramref name="x"/>, <paramref name="y"/>), nearest first, at
    /// most <paramref name="count"/> (≥ 1). The spatial index is built on first use and kept (thread-safe).
    /// </summary>
    public IReadOnlyList<NearPipe> NearestPipes(double x, double y, int count, double maxDistance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(maxDistance >= 0)) throw new ArgumentOutOfRangeException(nameof(maxDistance), maxDistance, "Search distance must be ≥ 0.");
        var tree = _pipeTree;
        if (tree is null)
        {
            lock (_treeLock)
            {
                if (_pipeTree is null)
                {
                    var t = new STRtree<int>();
                    for (var i = 0; i < Pipes.Count; i++) t.Insert(Pipes[i].Geometry.EnvelopeInternal, i);
                    t.Build();
                    _pipeTree = t;
                }
                tree = _pipeTree;
            }
        }
        var c = new Coordinate(x, y);
        var env = new Envelope(c);
        env.ExpandBy(maxDistance);
        var found = new List<NearPipe>();
        foreach (var i in tree.Query(env))
        {
            var (d, along) = NetworkBuilder.Locate(Pipes[i].Geometry, c);
            if (d > maxDistance) continue;
            found.Add(new NearPipe(i, Pipes[i].Id, d, along, new LengthIndexedLine(Pipes[i].Geometry).ExtractPoint(along)));
        }
        return found.OrderBy(f => f.Distance).ThenBy(f => f.Pipe).Take(count).ToList();
    }

    /// <summary>The geometry of a piece (a part of its pipe's line), or of a station-device pipe.</summary>
    public LineString PieceGeometry(int edge)
    {
        var pipe = EdgePipe[edge];
        if (pipe < 0) throw new ArgumentException($"Edge {edge} is not a piece of a pipe.", nameof(edge));
        var g = Pipes[pipe].Geometry;
        if (EdgeKinds[edge] != EdgeKind.Piece || (EdgeStart[edge] <= 0 && EdgeEnd[edge] >= PipeLength[pipe])) return g;
        return (LineString)new LengthIndexedLine(g).ExtractLine(EdgeStart[edge], EdgeEnd[edge]);
    }
}
