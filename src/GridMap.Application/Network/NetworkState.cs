using System.Diagnostics;
using System.Globalization;
using GridMap.Domain.Geo;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using GridMap.Storage.Network;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Network;

/// <summary>
/// One built network: the snapshot read from PostGIS, its graph, the segment index for the normal valve state and
/// everything derived from them lazily (validation findings, station service areas, the offline topology).
/// Immutable; the <see cref="NetworkCache"/> swaps in a new one when the database changes.
/// </summary>
public sealed class NetworkState
{
    public NetworkSnapshot Snapshot { get; }
    public NetworkGraph Graph { get; }
    public IsolationTracer Tracer { get; }
    public long Version => Snapshot.Version;
    /// <summary>Load + build time, milliseconds.</summary>
    public double LoadMs { get; }
    public double BuildMs { get; }

    private readonly Lazy<IReadOnlyList<NetworkFinding>> _findings;
    private readonly Lazy<IReadOnlyList<StationServiceArea>> _serviceAreas;
    private readonly Lazy<TopologyPackage> _topology;

    public NetworkState(NetworkSnapshot snapshot, double loadMs)
    {
        Snapshot = snapshot;
        LoadMs = loadMs;
        var sw = Stopwatch.StartNew();
        Graph = NetworkBuilder.Build(snapshot.Input, SnapToleranceM);
        Tracer = new IsolationTracer(new SegmentIndex(Graph, new HashSet<int>()));
        BuildMs = sw.Elapsed.TotalMilliseconds;
        _findings = new(() => [.. NetworkValidator.Check(Graph), .. InferredConnectionFindings(snapshot)]);
        _serviceAreas = new(() => new NetworkTracer(Graph).StationServiceAreas());
        _topology = new(() => TopologyPackage.Create(this));
    }

    /// <summary>
    /// Each connection the load inferred by distance, as a finding an engineer can confirm: ids are the kind and id
    /// (<c>compound:17</c>, <c>station:3</c>, <c>heat_source:1</c>; <c>:return</c> appended on the return side) and the pipe
    /// id, located at the pipe end taken, with the distance.
    /// </summary>
    private static IEnumerable<NetworkFinding> InferredConnectionFindings(NetworkSnapshot snapshot) =>
        snapshot.InferredConnections.Select(c => new NetworkFinding(FindingTypes.ConnectionInferred,
            [$"{c.Kind}:{NetworkIds.Of(c.TargetId, c.Flow)}", Id(c.PipeId)], c.At.X, c.At.Y) { DistanceM = c.DistanceM });

    /// <summary>Pipe ends, valves and taps this close (metres, EPSG:4547) are joined.</summary>
    public const double SnapToleranceM = 0.5;

    public IReadOnlyList<NetworkFinding> Findings => _findings.Value;
    public IReadOnlyList<StationServiceArea> ServiceAreas => _serviceAreas.Value;
    public TopologyPackage Topology => _topology.Value;

    /// <summary>The tracer for the normal valve state, or a new one with these valves also treated as inoperable.</summary>
    public IsolationTracer TracerFor(IReadOnlyCollection<long> inoperable)
    {
        if (inoperable.Count == 0) return Tracer;
        var set = new HashSet<int>();
        foreach (var id in inoperable)
        {
            if (!Graph.TryGetValveIndex(Id(id), out var v))
                throw new ArgumentException($"inoperable：管网中没有编号为 {id} 的阀门 (inoperable: no valve with id {id}).");
            set.Add(v);
        }
        // Incremental: merge the segments across the valves that stop bounding (no re-segmenting of the graph).
        return new IsolationTracer(Tracer.Index.WithInoperable(set));
    }

    /// <summary>The pipe index of a database pipe id; an unknown id throws <see cref="KeyNotFoundException"/> (a 404).</summary>
    public int PipeIndex(long id) =>
        Graph.TryGetPipeIndex(Id(id), out var i) ? i : throw new KeyNotFoundException($"管网中没有编号为 {id} 的管道 (no pipe with id {id} in the network).");

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    public static long DbId(string id) => long.Parse(id, CultureInfo.InvariantCulture);

    public static (double Lon, double Lat) ToWgs84(double x, double y)
    {
        var (lon, lat) = Crs.GaussKruger114.ToWgs84Point(x, y);
        return (Math.Round(lon, 7), Math.Round(lat, 7));
    }

    public static Coordinate FromWgs84(double lon, double lat)
    {
        var (x, y) = Crs.GaussKruger114.FromWgs84Point(lon, lat);
        return new Coordinate(x, y);
    }

    /// <summary>Compounds behind graph consumer ids (supply and return sides collapse to one compound), by compound id.</summary>
    public IReadOnlyList<StoredCompound> CompoundsOf(IEnumerable<string> consumerIds)
    {
        var ids = new SortedSet<int>();
        foreach (var c in consumerIds)
            if (NetworkIds.DatabaseId(c) is { } id) ids.Add((int)id);
        return ids.Select(id => Snapshot.Compounds[id]).ToList();
    }

    /// <summary>Station database ids behind graph station ids (supply and return collapse).</summary>
    public static IReadOnlyList<long> StationIdsOf(IEnumerable<string> stationIds) =>
        stationIds.Select(NetworkIds.DatabaseId).OfType<long>().Distinct().Order().ToList();

    /// <summary>True when the flow of a pipe is known and equal to <paramref name="flow"/>.</summary>
    public bool PipeIs(string pipeId, FlowDirection flow) => Snapshot.Pipes.TryGetValue(DbId(pipeId), out var p) && p.Flow == flow;
}
