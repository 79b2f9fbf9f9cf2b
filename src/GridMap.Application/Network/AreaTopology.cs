using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using GridMap.Storage.Layers;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Network;

/// <summary>What an area package covers (<c>area</c> of a <see cref="TopologyDocument"/> cut to an area).</summary>
/// <param name="Bbox">The area asked for, WGS84 [minLon, minLat, maxLon, maxLat].</param>
/// <param name="DetailedNodes">Nodes 0 … detailed_nodes − 1 are the graph's own nodes; the others each stand for a
/// part of the network outside the package (an open-connected zone), enough to tell what stays supplied.</param>
/// <param name="PipesInArea">Pipes crossing the bbox.</param>
/// <param name="Rings">Rings of neighbouring segments kept around the area's segments (broken valves a re-plan can cross at the edge).</param>
/// <param name="CityPipes">Pipes in the whole network (to show how much smaller the package is).</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologyArea(
    [property: JsonPropertyName("bbox")] double[] Bbox,
    [property: JsonPropertyName("detailed_nodes")] int DetailedNodes,
    [property: JsonPropertyName("pipes_in_area")] int PipesInArea,
    [property: JsonPropertyName("rings")] int Rings,
    [property: JsonPropertyName("city_pipes")] int CityPipes)
{
    /// <summary>Package pipe indices of the pipes only partly in the package (a valve inside them at the package's
    /// edge): whether they are cut off is not known from their part, so the package does not list them as cut off.</summary>
    [JsonPropertyName("partial_pipes")]
    public int[] PartialPipes { get; init; } = [];
}

/// <summary>Size of an area package before it is downloaded (<c>GET /api/network/topology/summary</c>).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TopologySummary(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("gzip_bytes")] long GzipBytes,
    [property: JsonPropertyName("city_gzip_bytes")] long CityGzipBytes,
    [property: JsonPropertyName("pipes_in_area")] int PipesInArea,
    [property: JsonPropertyName("pipes")] int Pipes,
    [property: JsonPropertyName("valves")] int Valves,
    [property: JsonPropertyName("city_pipes")] int CityPipes);

/// <summary>
/// The offline topology of an area (a crew's cells or a box drawn on the map) that plans every burst in the area as
/// the server does. How it is bounded (docs/crew.md, "离线范围"):
/// <list type="number">
/// <item>Detailed part: every segment a pipe crossing the bbox lies in, plus <see cref="Rings"/> rings of the segments
/// across their boundary valves — node for node, edge for edge, as in the city package. A burst in the area isolates
/// one of those segments; a valve on its edge found broken merges the neighbour segment, which is still detailed.</item>
/// <item>Outside: each zone of the rest of the network joined by open pipes and open valves (without passing through
/// the detailed part) becomes one node, carrying its consumers and sources; stations between zones stay (heat crosses
/// them one way). Removing a segment of the detailed part leaves each zone wholly supplied or wholly cut off, exactly as
/// the full graph does, so the valves to close, the minimal set, the affected compounds and households are the
/// server's. Lists of pipes (segment, cut off) hold the package's pipes only.</item>
/// <item>When broken valves grow the isolated segment past the detailed part (into a zone node), the client says so
/// instead of showing a plan it cannot vouch for (isolation.ts: <c>beyond_package</c>).</item>
/// </list>
/// </summary>
public static class AreaTopology
{
    /// <summary>Rings of neighbouring segments kept around the area's own segments.</summary>
    public const int Rings = 1;

    private static readonly JsonSerializerOptions Options = new();

    /// <summary>The package of <paramref name="bbox"/> as JSON bytes (plain and gzipped) and its ETag.</summary>
    public static (byte[] Json, byte[] Gzip, string ETag, TopologyDocument Document) Package(NetworkState state, BoundingBox bbox)
    {
        var doc = Document(state, bbox);
        var json = JsonSerializer.SerializeToUtf8Bytes(doc, Options);
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(json);
        return (json, ms.ToArray(), ETagOf(state.Version, bbox), doc);
    }

    /// <summary>The ETag of an area package: the network version and the bbox (to 1e-6°).</summary>
    public static string ETagOf(long version, BoundingBox b) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\"topology-{version}-{b.MinLon:F6},{b.MinLat:F6},{b.MaxLon:F6},{b.MaxLat:F6}\"");

    /// <summary>The city document of <paramref name="state"/> cut to <paramref name="bbox"/> as described on the class.</summary>
    public static TopologyDocument Document(NetworkState state, BoundingBox bbox)
    {
        ArgumentNullException.ThrowIfNull(state);
        var g = state.Graph;
        var ix = state.Tracer.Index;
        var city = TopologyPackage.Document(state);

        // Pipes crossing the bbox (EPSG:4547 envelope of its corners).
        var env = new Envelope();
        foreach (var (lon, lat) in new[] { (bbox.MinLon, bbox.MinLat), (bbox.MaxLon, bbox.MinLat), (bbox.MinLon, bbox.MaxLat), (bbox.MaxLon, bbox.MaxLat) })
            env.ExpandToInclude(NetworkState.FromWgs84(lon, lat));
        var box = new GeometryFactory().ToGeometry(env);
        var segments = new HashSet<int>();
        var inArea = 0;
        for (var p = 0; p < g.Pipes.Count; p++)
        {
            var pipe = g.Pipes[p];
            if (pipe.IsStationDevice || !pipe.Geometry.EnvelopeInternal.Intersects(env) || !pipe.Geometry.Intersects(box)) continue;
            inArea++;
            segments.UnionWith(ix.SegmentsOfPipe(p));
        }
        for (var ring = 0; ring < Rings; ring++)
        {
            foreach (var s in segments.ToList())
                foreach (var v in ix.ValvesOfSegment(s))
                {
                    var e = g.EdgeOfValve(v);
                    segments.Add(ix.SegmentOfNode(g.From(e)));
                    segments.Add(ix.SegmentOfNode(g.To(e)));
                }
        }

        // Nodes: the detailed ones keep their order; the rest collapse to zones (open pieces and open valves).
        var nodes = g.NodeCount;
        var detailed = new bool[nodes];
        for (var n = 0; n < nodes; n++) detailed[n] = segments.Contains(ix.SegmentOfNode(n));
        var zones = new Domain.Graphs.UnionFind(nodes);
        for (var e = 0; e < g.EdgeCount; e++)
        {
            var (a, b) = (g.From(e), g.To(e));
            if (detailed[a] || detailed[b]) continue;
            var open = g.KindOfEdge(e) switch
            {
                EdgeKind.Piece => g.Pipes[g.PipeOfEdge(e)].Status == OpenState.Open,
                EdgeKind.Valve => g.Valves[g.ValveOfEdge(e)].State == OpenState.Open,
                _ => false,
            };
            if (open) zones.Union(a, b);
        }
        var map = new int[nodes];
        var next = 0;
        for (var n = 0; n < nodes; n++) if (detailed[n]) map[n] = next++;
        var detailedCount = next;
        var zoneNode = new Dictionary<int, int>();
        for (var n = 0; n < nodes; n++)
        {
            if (detailed[n]) continue;
            var root = zones.Find(n);
            if (!zoneNode.TryGetValue(root, out var z)) zoneNode[root] = z = next++;
            map[n] = z;
        }

        // Edges: every edge touching the detailed part; stations between zones (one-way links). Everything else
        // outside joins nodes of one zone or bounds nothing a package plan can reach.
        var ce = city.Edges;
        var keepEdge = new List<int>();
        for (var e = 0; e < g.EdgeCount; e++)
        {
            var (a, b) = (g.From(e), g.To(e));
            if (detailed[a] || detailed[b] || (g.KindOfEdge(e) == EdgeKind.Station && map[a] != map[b])) keepEdge.Add(e);
        }
        var pipeMap = Renumber(g.Pipes.Count, keepEdge.Where(e => ce.Pipe[e] >= 0).Select(e => ce.Pipe[e]));
        var valveMap = Renumber(g.Valves.Count, keepEdge.Where(e => ce.Ref[e] >= 0).Select(e => ce.Ref[e]));
        var edgeMap = new int[g.EdgeCount];
        Array.Fill(edgeMap, -1);
        for (var i = 0; i < keepEdge.Count; i++) edgeMap[keepEdge[i]] = i;
        var pipes = Kept(pipeMap);
        var keptPieces = new int[g.Pipes.Count];
        foreach (var e in keepEdge) if (ce.Pipe[e] >= 0) keptPieces[ce.Pipe[e]]++;
        var valves = Kept(valveMap);
        var cp = city.Pipes;
        var cv = city.Valves;
        return city with
        {
            NodeCount = next,
            Pipes = new TopologyPipes(pipes.Select(p => cp.Id[p]).ToArray(), pipes.Select(p => cp.Closed[p]).ToArray(), pipes.Select(p => cp.Device[p]).ToArray()),
            Edges = new TopologyEdges(
                keepEdge.Select(e => ce.Kind[e]).ToArray(),
                keepEdge.Select(e => map[ce.From[e]]).ToArray(),
                keepEdge.Select(e => map[ce.To[e]]).ToArray(),
                keepEdge.Select(e => ce.Pipe[e] >= 0 ? pipeMap[ce.Pipe[e]] : -1).ToArray(),
                keepEdge.Select(e => ce.Ref[e] >= 0 ? valveMap[ce.Ref[e]] : -1).ToArray(),
                keepEdge.Select(e => ce.Length[e]).ToArray(),
                keepEdge.Select(e => ce.End[e]).ToArray()),
            Valves = new TopologyValves(
                valves.Select(v => cv.Id[v]).ToArray(),
                valves.Select(v => cv.Closed[v]).ToArray(),
                valves.Select(v => cv.Operable[v]).ToArray(),
                valves.Select(v => edgeMap[cv.Edge[v]]).ToArray(),
                valves.Select(v => cv.Lon[v]).ToArray(),
                valves.Select(v => cv.Lat[v]).ToArray()),
            Sources = city.Sources with { Node = city.Sources.Node.Select(n => n >= 0 ? map[n] : -1).ToArray() },
            Consumers = city.Consumers with { Node = city.Consumers.Node.Select(n => n >= 0 ? map[n] : -1).ToArray() },
            Area = new TopologyArea([bbox.MinLon, bbox.MinLat, bbox.MaxLon, bbox.MaxLat], detailedCount, inArea, Rings, g.Pipes.Count)
            {
                PartialPipes = pipes.Select((p, i) => (p, i)).Where(x => g.EdgesOfPipe(x.p).Count(e => g.KindOfEdge(e) == EdgeKind.Piece) != keptPieces[x.p]).Select(x => x.i).ToArray(),
            },
        };
    }

    /// <summary>Old index → new index for the kept items (ascending, so input order is kept), −1 for the others.</summary>
    private static int[] Renumber(int count, IEnumerable<int> kept)
    {
        var map = new int[count];
        Array.Fill(map, -1);
        foreach (var i in kept) map[i] = 0;
        var next = 0;
        for (var i = 0; i < count; i++) if (map[i] == 0) map[i] = next++;
        return map;
    }

    private static List<int> Kept(int[] map)
    {
        var list = new List<int>();
        for (var i = 0; i < map.Length; i++) if (map[i] >= 0) list.Add(i);
        return list;
    }
}
