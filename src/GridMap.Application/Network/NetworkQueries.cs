using GridMap.Domain.Model;
using GridMap.Domain.Network;
using GridMap.Storage.Layers;
using GridMap.Storage.Network;

namespace GridMap.Application.Network;

/// <summary>
/// The network/crews use cases: nearest pipes for a crew on site, isolation plans (with broken valves and a burst
/// position), traces, validation findings, station service areas and the offline topology — all reads, over the graph
/// the <see cref="NetworkCache"/> keeps (nearest pipes ask PostGIS directly). Typed requests in, typed records out;
/// unknown ids throw <see cref="KeyNotFoundException"/>, refused actions a <c>RuleViolation</c>.
/// </summary>
public sealed class NetworkQueries(NetworkCache cache, PipeLocator locator)
{
    /// <summary>Version, size and build time of the cached graph (building it if needed).</summary>
    public async Task<NetworkStatus> StatusAsync(CancellationToken ct = default)
    {
        var s = await cache.CurrentAsync(ct);
        var g = s.Graph;
        return new NetworkStatus(s.Version, cache.Builds, g.Pipes.Count, g.Valves.Count, g.NodeCount, g.EdgeCount,
            s.Tracer.Index.SegmentCount, g.Sources.Count, g.Consumers.Count, Math.Round(s.LoadMs, 1), Math.Round(s.BuildMs, 1), g.BuildFindings.Count);
    }

    /// <summary>The pipes nearest a position, closest first, with distance, bearing, DN, depth and level.</summary>
    public async Task<NearestPipes> NearestAsync(NearestRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (lon, lat) = (request.At.Lon, request.At.Lat);
        var pipes = await locator.NearestAsync(lon, lat, request.K, ct);
        var p = NetworkState.FromWgs84(lon, lat);
        return new NearestPipes(new SitePosition(lon, lat, Math.Round(p.X, 2), Math.Round(p.Y, 2)),
            pipes.Select(n => new NearPipe
            {
                Id = n.Id, Level = n.Level, Flow = n.Flow, Dn = n.Dn, DepthM = n.DepthM, Material = n.Material, Status = n.Status,
                DistanceM = Math.Round(n.DistanceM, 2),
                BearingDeg = double.IsNaN(n.BearingDeg) ? null : Math.Round(n.BearingDeg, 1),
                Closest = [n.Lon, n.Lat],
            }).ToList());
    }

    /// <summary>The crew's isolation plan for a pipe (see <see cref="CrewPlan.Create"/>).</summary>
    public async Task<CrewPlan> IsolateAsync(IsolateRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await cache.CurrentAsync(ct);
        var plan = CrewPlan.Create(s, request.Pipe, request.Inoperable, request.Burst, request.Crew);
        return request.Geometry ? plan.WithGeometry(s) : plan;
    }

    /// <summary>A trace from a pipe. Heat crosses stations: unless asked, only downstream passes through them (downstream
    /// of a primary pipe lie the secondary networks it feeds); connected and upstream stay in one water network.</summary>
    public async Task<NetworkTrace> TraceAsync(TraceRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = await cache.CurrentAsync(ct);
        var id = request.Pipe;
        s.PipeIndex(id);
        var cross = request.CrossStations ?? request.Kind == TraceKind.Downstream;
        var tracer = new NetworkTracer(s.Graph, new TraceOptions(RespectState: true, CrossStations: cross));
        var pid = NetworkState.Id(id);
        return request.Kind switch
        {
            TraceKind.Connected => FromResult("connected", tracer.Connected(pid)),
            TraceKind.Downstream => FromResult("downstream", tracer.Downstream(pid)),
            _ => FromPath(tracer.Upstream(pid)),
        };

        NetworkTrace FromResult(string name, TraceResult t)
        {
            var compounds = s.CompoundsOf(t.Consumers);
            return new NetworkTrace(name, id, cross, t.Pipes.Select(NetworkState.DbId).ToList(), t.Valves.Select(NetworkState.DbId).ToList(),
                NetworkState.StationIdsOf(t.Stations), compounds.Select(c => new AffectedCompound(c.Id, c.Name, c.Households)).ToList(),
                compounds.Sum(c => (long)c.Households));
        }

        NetworkTrace FromPath(TracePath t) =>
            new("upstream", id, cross, t.Pipes.Select(NetworkState.DbId).ToList(), t.Valves.Select(NetworkState.DbId).ToList(),
                [], [], 0, Math.Round(t.Length, 1), t.EndsAt);
    }

    /// <summary>Validation findings located inside the box (WGS84), optionally of one type: counts of all, the first <c>limit</c> listed.</summary>
    public async Task<FindingsReport> FindingsAsync(FindingsRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var box = request.Box;
        var s = await cache.CurrentAsync(ct);
        var inside = s.Findings
            .Where(f => request.Type is null || f.Type == request.Type)
            .Select(f => (f, p: NetworkState.ToWgs84(f.X, f.Y)))
            .Where(x => x.p.Lon >= box.MinLon && x.p.Lon <= box.MaxLon && x.p.Lat >= box.MinLat && x.p.Lat <= box.MaxLat)
            .ToList();
        var byType = inside.GroupBy(x => x.f.Type).OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Count());
        return new FindingsReport(s.Version, inside.Count, byType,
            inside.Take(request.Limit).Select(x => new LocatedFinding(x.f.Type, x.f.Ids, [x.p.Lon, x.p.Lat], x.f.DistanceM)).ToList());
    }

    /// <summary>Every station whose point lies inside the box, with the number of compounds and households its secondary network serves.</summary>
    public async Task<IReadOnlyList<ServiceArea>> ServiceAreasAsync(BoundingBox box, CancellationToken ct = default)
    {
        var s = await cache.CurrentAsync(ct);
        var points = s.Snapshot.Input.Stations!.ToDictionary(x => x.Id, x => x.Location);
        var list = new List<ServiceArea>();
        foreach (var a in s.ServiceAreas)
        {
            if (NetworkIds.FlowOf(a.Station) != FlowDirection.Supply || NetworkIds.DatabaseId(a.Station) is not { } sid) continue;
            var at = points[a.Station];
            var (lon, lat) = NetworkState.ToWgs84(at.X, at.Y);
            if (lon < box.MinLon || lon > box.MaxLon || lat < box.MinLat || lat > box.MaxLat) continue;
            var compounds = s.CompoundsOf(a.Consumers);
            list.Add(new ServiceArea
            {
                Station = sid, Name = s.Snapshot.StationNames.GetValueOrDefault((int)sid), Compounds = compounds.Count, Households = compounds.Sum(c => (long)c.Households),
            });
        }
        return list;
    }

    /// <summary>The compounds, households and secondary pipes (supply and return) a station serves.</summary>
    /// <exception cref="KeyNotFoundException">No such station in the network.</exception>
    public async Task<ServiceArea> ServiceAreaAsync(long stationId, CancellationToken ct = default)
    {
        var s = await cache.CurrentAsync(ct);
        var mine = s.ServiceAreas.Where(a => NetworkIds.DatabaseId(a.Station) == stationId).ToList();
        if (mine.Count == 0) throw new KeyNotFoundException($"管网中没有编号为 {stationId} 的换热站 (no station with id {stationId} in the network).");
        var compounds = s.CompoundsOf(mine.SelectMany(a => a.Consumers));
        var pipes = mine.SelectMany(a => a.Pipes).Select(NetworkState.DbId).Distinct().Order().ToList();
        return new ServiceArea
        {
            Station = stationId, Name = s.Snapshot.StationNames.GetValueOrDefault((int)stationId), Compounds = compounds.Count,
            Households = compounds.Sum(c => (long)c.Households),
            CompoundList = compounds.Select(c => new AffectedCompound(c.Id, c.Name, c.Households)).ToList(), Pipes = pipes,
        };
    }

    /// <summary>The offline topology package of the current graph (serialized once per network version).</summary>
    public async Task<TopologyPackage> TopologyAsync(CancellationToken ct = default) => (await cache.CurrentAsync(ct)).Topology;

    /// <summary>The offline package of an area (<see cref="AreaTopology"/>): JSON bytes, gzipped bytes, ETag, version.</summary>
    public async Task<(byte[] Json, byte[] Gzip, string ETag, long Version)> AreaTopologyAsync(Storage.Layers.BoundingBox bbox, CancellationToken ct = default)
    {
        var state = await cache.CurrentAsync(ct);
        var (json, gzip, etag, _) = AreaTopology.Package(state, bbox);
        return (json, gzip, etag, state.Version);
    }

    /// <summary>The ETag the area package of <paramref name="bbox"/> has now (no package built): to answer 304 cheaply.</summary>
    public async Task<string> AreaTopologyETagAsync(Storage.Layers.BoundingBox bbox, CancellationToken ct = default) =>
        AreaTopology.ETagOf((await cache.CurrentAsync(ct)).Version, bbox);

    /// <summary>The size of the area package of <paramref name="bbox"/> before it is downloaded, beside the city's.</summary>
    public async Task<TopologySummary> AreaTopologySummaryAsync(Storage.Layers.BoundingBox bbox, CancellationToken ct = default)
    {
        var state = await cache.CurrentAsync(ct);
        var (json, gzip, etag, doc) = AreaTopology.Package(state, bbox);
        return new TopologySummary(state.Version, etag, json.Length, gzip.Length, state.Topology.Gzip.Length,
            doc.Area!.PipesInArea, doc.Pipes.Id.Length, doc.Valves.Id.Length, doc.Area.CityPipes);
    }
}
