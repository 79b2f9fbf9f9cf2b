using System.IO.Compression;
using System.Text.Json;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using GridMap.Storage.Network;

namespace GridMap.Application.Network;

/// <summary>
/// The network graph as the crew's phone stores it for offline isolation plans (format "gridmap-topology/1", the
/// <see cref="TopologyDocument"/>): int arrays only, no pipe geometry, so the whole city fits in a few hundred
/// kilobytes gzipped. The client's <c>src/crew/isolation.ts</c> rebuilds the engine's <see cref="SegmentIndex"/> and
/// <see cref="IsolationTracer"/> over it with the same semantics.
/// </summary>
/// <remarks>
/// Why the whole graph and not only the downloaded area: whether a pipe stays supplied depends on a path to a heat
/// source, and a segment grows past the area when a valve turns out broken, so a cut-out of the area would give
/// different plans. Geometry (pipes, valves, compounds, basemap) is downloaded for the area only. Serialized once per
/// network version (the document is large: the service keeps the bytes, plain and gzipped, not the arrays).
/// </remarks>
public sealed class TopologyPackage
{
    public const string Format = TopologyDocument.FormatName;

    /// <summary>The <c>network_change</c> version the package was made from.</summary>
    public long Version { get; }
    /// <summary>UTF-8 JSON of the <see cref="TopologyDocument"/>.</summary>
    public byte[] Json { get; }
    /// <summary>The same, gzip-compressed (served when the client accepts gzip).</summary>
    public byte[] Gzip { get; }

    // The document's own names ([JsonPropertyName]); default escaping, so the bytes do not depend on the host's options.
    private static readonly JsonSerializerOptions Options = new();

    private TopologyPackage(long version, byte[] json)
    {
        Version = version;
        Json = json;
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(json);
        Gzip = ms.ToArray();
    }

    public static TopologyPackage Create(NetworkState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var doc = Document(state);
        return new TopologyPackage(doc.Version, JsonSerializer.SerializeToUtf8Bytes(doc, Options));
    }

    /// <summary>The graph of <paramref name="state"/> as the offline document.</summary>
    public static TopologyDocument Document(NetworkState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var g = state.Graph;
        var snap = state.Snapshot;
        var edges = Enumerable.Range(0, g.EdgeCount).ToArray();

        // The engine compares piece lengths only to pick a pipe's longest part when valves cut it into several
        // (IsolationTracer.Isolate → SegmentIndex.HomeSegmentOfPipe: the first longest on ties). A pipe with one
        // reportable piece needs none (0); otherwise millimetres suffice unless rounding would change which piece
        // wins — then that pipe's lengths go out in full precision. Either way the client picks the same piece.
        var lengths = new double[g.EdgeCount];
        // Where each piece ends along its pipe (metres from the first vertex, mm), for IsolateAt's PieceAt: a burst
        // position picks the first non-stub piece ending at or after it. 0 for other edges.
        var ends = new double[g.EdgeCount];
        for (var p = 0; p < g.Pipes.Count; p++)
        {
            var pieces = g.EdgesOfPipe(p).Where(e => g.KindOfEdge(e) == EdgeKind.Piece && g.IsReportable(e)).ToList();
            if (pieces.Count >= 2)
            {
                var exact = ArgMax(pieces, e => g.EdgeLength(e));
                var rounded = ArgMax(pieces, e => Math.Round(g.EdgeLength(e), 3));
                foreach (var e in pieces) lengths[e] = exact == rounded ? Math.Round(g.EdgeLength(e), 3) : g.EdgeLength(e);
            }
            var walked = 0.0;
            foreach (var e in g.EdgesOfPipe(p))
            {
                walked += g.EdgeLength(e);
                ends[e] = g.KindOfEdge(e) == EdgeKind.Piece ? Math.Round(walked, 3) : 0;
            }
        }

        // Valve positions order the valves to close by distance; 1e-6° (~10 cm) is plenty for that.
        var lonLat = g.Valves.Select(v => NetworkState.ToWgs84(v.Location.X, v.Location.Y)).ToList();
        var compounds = snap.Compounds.Values.OrderBy(c => c.Id).ToList();

        return new TopologyDocument(
            TopologyDocument.FormatName,
            snap.Version,
            g.SnapTolerance,
            g.NodeCount,
            new TopologyPipes(
                g.Pipes.Select(p => NetworkState.DbId(p.Id)).ToArray(),
                g.Pipes.Select(p => p.Status == OpenState.Closed ? 1 : 0).ToArray(),
                g.Pipes.Select(p => p.IsStationDevice ? 1 : 0).ToArray()),
            new TopologyEdges(
                edges.Select(e => g.KindOfEdge(e) switch
                {
                    EdgeKind.Piece => g.IsReportable(e) ? TopologyEdges.Piece : TopologyEdges.Stub,
                    EdgeKind.Valve => TopologyEdges.Valve,
                    _ => TopologyEdges.Station,
                }).ToArray(),
                edges.Select(g.From).ToArray(),
                edges.Select(g.To).ToArray(),
                edges.Select(e => g.KindOfEdge(e) == EdgeKind.Piece ? g.PipeOfEdge(e) : -1).ToArray(),
                edges.Select(g.ValveOfEdge).ToArray(),
                lengths,
                ends),
            new TopologyValves(
                g.Valves.Select(v => NetworkState.DbId(v.Id)).ToArray(),
                g.Valves.Select(v => v.State == OpenState.Closed ? 1 : 0).ToArray(),
                g.Valves.Select(v => v.Operable ? 1 : 0).ToArray(),
                Enumerable.Range(0, g.Valves.Count).Select(g.EdgeOfValve).ToArray(),
                lonLat.Select(p => Math.Round(p.Lon, 6)).ToArray(),
                lonLat.Select(p => Math.Round(p.Lat, 6)).ToArray()),
            new TopologySources(
                g.Sources.Select(s => s.Id).ToArray(),
                Enumerable.Range(0, g.Sources.Count).Select(g.NodeOfSource).ToArray()),
            // Consumers are compounds, once per flow: the compound id and whether this is its return side.
            new TopologyConsumers(
                g.Consumers.Select(c => NetworkIds.DatabaseId(c.Id) ?? -1).ToArray(),
                g.Consumers.Select(c => NetworkIds.FlowOf(c.Id) == FlowDirection.Return ? 1 : 0).ToArray(),
                Enumerable.Range(0, g.Consumers.Count).Select(g.NodeOfConsumer).ToArray(),
                g.Consumers.Select(c => c.Households).ToArray()),
            new TopologyCompounds(
                compounds.Select(c => c.Id).ToArray(),
                compounds.Select(c => c.Name).ToArray(),
                compounds.Select(c => c.Households).ToArray()));
    }

    /// <summary>The first element with the greatest value (strictly greater replaces), as the engine picks.</summary>
    private static int ArgMax(List<int> items, Func<int, double> value)
    {
        var best = -1;
        var bestValue = -1.0;
        foreach (var i in items)
        {
            var v = value(i);
            if (v > bestValue) { best = i; bestValue = v; }
        }
        return best;
    }
}
