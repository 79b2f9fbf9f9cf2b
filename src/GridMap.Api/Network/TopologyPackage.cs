using System.IO.Compression;
using System.Text.Json;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using GridMap.Storage.Network;

namespace GridMap.Api.Network;

/// <summary>
/// The network graph as the crew's phone stores it for offline isolation plans (format "gridmap-topology/1"):
/// int arrays only, no pipe geometry, so the whole city fits in a few hundred kilobytes gzipped. The client's
/// <c>src/crew/isolation.ts</c> rebuilds the engine's <see cref="SegmentIndex"/> and <see cref="IsolationTracer"/>
/// over it with the same semantics.
/// </summary>
/// <remarks>
/// Why the whole graph and not only the downloaded area: whether a pipe stays supplied depends on a path to a heat
/// source, and a segment grows past the area when a valve turns out broken, so a cut-out of the area would give
/// different plans. Geometry (pipes, valves, compounds, basemap) is downloaded for the area only.
/// <para>Edge kinds: 0 a reportable pipe piece, 1 a zero-length stub piece (topology only), 2 a valve, 3 a
/// station (primary → secondary). <c>ref</c> is the valve index of a valve edge, else -1; <c>pipe</c> the pipe index of a piece, else -1. Pieces of one pipe are consecutive, in order
/// along the pipe. Lengths (along-pipe metres) serve only to pick a pipe's longest piece: see the comment where
/// they are written.</para>
/// </remarks>
public sealed class TopologyPackage
{
    public const string Format = "gridmap-topology/1";

    /// <summary>UTF-8 JSON.</summary>
    public byte[] Json { get; }
    /// <summary>The same, gzip-compressed (served when the client accepts gzip).</summary>
    public byte[] Gzip { get; }

    private TopologyPackage(byte[] json)
    {
        Json = json;
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(json);
        Gzip = ms.ToArray();
    }

    public static TopologyPackage Create(NetworkState state)
    {
        var g = state.Graph;
        var snap = state.Snapshot;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", snap.Version);
            w.WriteNumber("snap_tolerance_m", g.SnapTolerance);
            w.WriteNumber("node_count", g.NodeCount);

            w.WriteStartObject("pipes");
            Ints(w, "id", g.Pipes.Select(p => NetworkState.DbId(p.Id)));
            Ints(w, "closed", g.Pipes.Select(p => p.Status == OpenState.Closed ? 1L : 0));
            Ints(w, "device", g.Pipes.Select(p => p.IsStationDevice ? 1L : 0));
            w.WriteEndObject();

            w.WriteStartObject("edges");
            var edges = Enumerable.Range(0, g.EdgeCount).ToArray();
            Ints(w, "kind", edges.Select(e => (long)(g.KindOfEdge(e) switch
            {
                EdgeKind.Piece => g.IsReportable(e) ? 0 : 1,
                EdgeKind.Valve => 2,
                _ => 3,
            })));
            Ints(w, "from", edges.Select(e => (long)g.From(e)));
            Ints(w, "to", edges.Select(e => (long)g.To(e)));
            Ints(w, "pipe", edges.Select(e => g.KindOfEdge(e) == EdgeKind.Piece ? (long)g.PipeOfEdge(e) : -1));
            Ints(w, "ref", edges.Select(e => (long)g.ValveOfEdge(e)));
            // The engine compares piece lengths only to pick a pipe's longest part when valves cut it into several
            // (IsolationTracer.Isolate → SegmentIndex.HomeSegmentOfPipe: the first longest on ties). A pipe with one
            // reportable piece needs none (0); otherwise millimetres suffice unless rounding would change which piece
            // wins — then that pipe's lengths go out in full precision. Either way the client picks the same piece.
            var lengths = new double[g.EdgeCount];
            var ends = new double[g.EdgeCount];
            for (var p = 0; p < g.Pipes.Count; p++)
            {
                var pieces = g.EdgesOfPipe(p).Where(e => g.KindOfEdge(e) == EdgeKind.Piece && g.IsReportable(e)).ToList();
                if (pieces.Count < 2) continue;
                var exact = ArgMax(pieces, e => g.EdgeLength(e));
                var rounded = ArgMax(pieces, e => Math.Round(g.EdgeLength(e), 3));
                foreach (var e in pieces) lengths[e] = exact == rounded ? Math.Round(g.EdgeLength(e), 3) : g.EdgeLength(e);
            }
            w.WriteStartArray("length");
            foreach (var e in edges) w.WriteNumberValue(lengths[e]);
            w.WriteEndArray();
            // Where each piece ends along its pipe (metres from the first vertex, mm), for IsolateAt's PieceAt: a
            // burst position picks the first non-stub piece ending at or after it. 0 for other edges.
            w.WriteStartArray("end");
            for (var p = 0; p < g.Pipes.Count; p++)
            {
                var walked = 0.0;
                foreach (var e in g.EdgesOfPipe(p))
                {
                    walked += g.EdgeLength(e);
                    ends[e] = g.KindOfEdge(e) == EdgeKind.Piece ? Math.Round(walked, 3) : 0;
                }
            }
            foreach (var e in edges) w.WriteNumberValue(ends[e]);
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("valves");
            Ints(w, "id", g.Valves.Select(v => NetworkState.DbId(v.Id)));
            Ints(w, "closed", g.Valves.Select(v => v.State == OpenState.Closed ? 1L : 0));
            Ints(w, "operable", g.Valves.Select(v => v.Operable ? 1L : 0));
            Ints(w, "edge", Enumerable.Range(0, g.Valves.Count).Select(v => (long)g.EdgeOfValve(v)));
            // Valve positions order the valves to close by distance; 1e-6° (~10 cm) is plenty for that.
            var lonLat = g.Valves.Select(v => NetworkState.ToWgs84(v.Location.X, v.Location.Y)).ToList();
            Numbers(w, "lon", lonLat.Select(p => Math.Round(p.Lon, 6)));
            Numbers(w, "lat", lonLat.Select(p => Math.Round(p.Lat, 6)));
            w.WriteEndObject();

            w.WriteStartObject("sources");
            Strings(w, "id", g.Sources.Select(s => s.Id));
            Ints(w, "node", Enumerable.Range(0, g.Sources.Count).Select(s => (long)g.NodeOfSource(s)));
            w.WriteEndObject();

            // Consumers are compounds, once per flow: the compound id and whether this is its return side.
            w.WriteStartObject("consumers");
            Ints(w, "compound", g.Consumers.Select(c => NetworkIds.DatabaseId(c.Id) ?? -1));
            Ints(w, "return", g.Consumers.Select(c => NetworkIds.FlowOf(c.Id) == FlowDirection.Return ? 1L : 0));
            Ints(w, "node", Enumerable.Range(0, g.Consumers.Count).Select(c => (long)g.NodeOfConsumer(c)));
            Ints(w, "households", g.Consumers.Select(c => (long)c.Households));
            w.WriteEndObject();

            w.WriteStartObject("compounds");
            var compounds = snap.Compounds.Values.OrderBy(c => c.Id).ToList();
            Ints(w, "id", compounds.Select(c => (long)c.Id));
            Strings(w, "name", compounds.Select(c => c.Name));
            Ints(w, "households", compounds.Select(c => (long)c.Households));
            w.WriteEndObject();

            w.WriteEndObject();
        }
        return new TopologyPackage(ms.ToArray());
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

    private static void Ints(Utf8JsonWriter w, string name, IEnumerable<long> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
