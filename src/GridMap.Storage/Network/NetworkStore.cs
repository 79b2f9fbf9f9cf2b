using System.Data;
using System.Globalization;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using Npgsql;

namespace GridMap.Storage.Network;

/// <summary>Attributes of a stored pipe the crew sees (the graph keeps only id, geometry, state and level).</summary>
public sealed record StoredPipe(long Id, NetworkLevel Level, FlowDirection Flow, int Dn, double DepthM, OpenState Status, int? StationId);

/// <summary>A stored valve with its location in EPSG:4547 metres.</summary>
public sealed record StoredValve(long Id, OpenState State, bool Operable, long? PipeId, double X, double Y);

/// <summary>A field record in force on a valve (the latest for it, not <c>repaired</c>; migration 0017).</summary>
public sealed record ValveFieldRecord(long Id, long ValveId, string Condition, string Note, string ReportedBy, DateTimeOffset ReportedAt);

/// <summary>A compound as a consumer: households (≥ 0), station and the position of its supply connection (EPSG:4547, null when not connected).</summary>
public sealed record StoredCompound(int Id, string Name, int Households, int? StationId, Coordinate? Connection);

/// <summary>An explicit connection (migration 0019): pipe <see cref="PipeId"/>'s start (or end) joins exactly one of a
/// compound, a station or a heat source.</summary>
public sealed record StoredConnection(long PipeId, bool AtStart, int? CompoundId, int? StationId, int? HeatSourceId);

/// <summary>
/// A connection the load inferred by distance because the data has none: <see cref="Kind"/> compound, station or
/// heat_source, its id, the flow, the pipe end taken and how far it lies from the compound's footprint, the station's or
/// the heat source's point (metres). <see cref="At"/> is that pipe end (EPSG:4547). Confirming it makes it explicit.
/// </summary>
public sealed record InferredConnection(string Kind, int TargetId, FlowDirection Flow, long PipeId, bool AtStart, double DistanceM, Coordinate At);

/// <summary>
/// The network as loaded from PostGIS: the engine's input in EPSG:4547 metres plus the attributes the service reports.
/// <see cref="Version"/> is the <c>network_change</c> counter the data was read at.
/// </summary>
public sealed record NetworkSnapshot(
    long Version,
    NetworkInput Input,
    IReadOnlyDictionary<long, StoredPipe> Pipes,
    IReadOnlyDictionary<long, StoredValve> Valves,
    IReadOnlyDictionary<int, StoredCompound> Compounds,
    IReadOnlyDictionary<int, string> StationNames)
{
    /// <summary>The field records in force, by valve id: already applied to the valves' state and operability.</summary>
    public IReadOnlyDictionary<long, ValveFieldRecord> FieldRecords { get; init; } = new Dictionary<long, ValveFieldRecord>();

    /// <summary>Connections inferred by distance (no explicit one for that compound, station or heat source and flow), by kind and id.</summary>
    public IReadOnlyList<InferredConnection> InferredConnections { get; init; } = [];

    /// <summary>How many compound, station and heat-source connections came from explicit data.</summary>
    public int ExplicitConnections { get; init; }
}

/// <summary>
/// Ids of the graph's sources, stations and consumers. Supply and return are separate networks joined only by the
/// plant and the stations, so each heat source, station and compound appears once per flow: "17" on the supply
/// side, "17:return" on the return side. Pipe and valve ids are the decimal database ids.
/// </summary>
public static class NetworkIds
{
    public const string ReturnSuffix = ":return";

    public static string Of(long id, FlowDirection flow) =>
        id.ToString(CultureInfo.InvariantCulture) + (flow == FlowDirection.Return ? ReturnSuffix : "");

    /// <summary>The database id behind a graph id ("17" or "17:return"), or null when it is not one.</summary>
    public static long? DatabaseId(string graphId)
    {
        var s = graphId.EndsWith(ReturnSuffix, StringComparison.Ordinal) ? graphId[..^ReturnSuffix.Length] : graphId;
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    public static FlowDirection FlowOf(string graphId) =>
        graphId.EndsWith(ReturnSuffix, StringComparison.Ordinal) ? FlowDirection.Return : FlowDirection.Supply;
}

/// <summary>
/// Loads pipes, valves, stations, heat sources and compounds from PostGIS into the topology engine's input
/// (<see cref="NetworkInput"/>, EPSG:4547 metres) and reads the change counter that says when to reload.
/// </summary>
/// <remarks>
/// How stored features become graph elements (the schema stores stations, plants and compounds as points and
/// polygons, not as the pipe ends they connect):
/// <list type="bullet">
/// <item>Station, per flow: the end of one of the station's own pipes (<c>station_id</c>, same flow) nearest the
/// station point, within <see cref="StationReachM"/>. Primary pipe ends there join its primary side, secondary ends
/// its secondary side. With no such pipe end the supply station sits on its point and the return station is left out.</item>
/// <item>Heat source, per flow: the nearest end of a primary pipe of that flow within <see cref="SourceReachM"/>.</item>
/// <item>Compound (consumer): on the supply side, the end of a secondary supply pipe of its station nearest its
/// footprint within <see cref="ConsumerReachM"/>; on the return side, the end of a secondary return pipe of its
/// station nearest that supply connection, within the same reach. Households count on both sides; the service
/// reports compounds once.</item>
/// </list>
/// Explicit connections (<c>network_connection</c>, migration 0019) come first: a compound, station or heat source with
/// one for a flow sits on that pipe end (of several, the one nearest its footprint or point), whatever the distance.
/// The rules above apply only where there is none, and each such inferred connection is listed
/// (<see cref="NetworkSnapshot.InferredConnections"/>) so an engineer can confirm it.
/// </remarks>
public sealed class NetworkStore(NpgsqlDataSource db)
{
    /// <summary>How far a station's connection may lie from its point, metres.</summary>
    public const double StationReachM = 10;
    /// <summary>How far a heat source's feeder may start from its point, metres.</summary>
    public const double SourceReachM = 25;
    /// <summary>How far a compound's service pipe may end from its footprint, metres.</summary>
    public const double ConsumerReachM = 5;

    private static readonly string LoadSql = SqlScripts.Get("Network/network_load.sql");
    private static readonly string VersionSql = SqlScripts.Get("Network/network_version.sql");

    /// <summary>The current change counter (1 right after migration; grows on every write to the network tables).</summary>
    public async Task<long> VersionAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(VersionSql);
        return await cmd.ExecuteScalarAsync(ct) is long v ? v : 0;
    }

    /// <summary>Reads the whole network in one repeatable-read transaction, so the version matches the rows.</summary>
    public async Task<NetworkSnapshot> LoadAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var cmd = new NpgsqlCommand(LoadSql, conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);

        long version = 0;
        if (await r.ReadAsync(ct)) version = r.GetInt64(0);

        await r.NextResultAsync(ct);
        var pipes = new List<(StoredPipe Info, LineString Line)>();
        while (await r.ReadAsync(ct))
        {
            var info = new StoredPipe(r.GetInt64(0), ParseLevel(r.GetString(1)), r.GetString(2) == "return" ? FlowDirection.Return : FlowDirection.Supply,
                r.GetInt32(3), r.GetDouble(4), r.GetString(5) == "closed" ? OpenState.Closed : OpenState.Open, r.IsDBNull(6) ? null : r.GetInt32(6));
            pipes.Add((info, (LineString)r.GetValue(7)));
        }

        await r.NextResultAsync(ct);
        var valves = new List<StoredValve>();
        while (await r.ReadAsync(ct))
        {
            var p = (Point)r.GetValue(4);
            valves.Add(new StoredValve(r.GetInt64(0), r.GetString(1) == "closed" ? OpenState.Closed : OpenState.Open, r.GetBoolean(2),
                r.IsDBNull(3) ? null : r.GetInt64(3), p.X, p.Y));
        }

        await r.NextResultAsync(ct);
        var stations = new List<(int Id, string Name, Point At)>();
        while (await r.ReadAsync(ct)) stations.Add((r.GetInt32(0), r.GetString(1), (Point)r.GetValue(2)));

        await r.NextResultAsync(ct);
        var sources = new List<(int Id, Point At)>();
        while (await r.ReadAsync(ct)) sources.Add((r.GetInt32(0), (Point)r.GetValue(2)));

        await r.NextResultAsync(ct);
        var compounds = new List<(int Id, string Name, int Households, int? StationId, Geometry Footprint)>();
        while (await r.ReadAsync(ct))
            compounds.Add((r.GetInt32(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt32(3), (Geometry)r.GetValue(4)));

        await r.NextResultAsync(ct);
        var records = new Dictionary<long, ValveFieldRecord>();
        while (await r.ReadAsync(ct))
        {
            var rec = new ValveFieldRecord(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5));
            if (rec.Condition != "repaired") records[rec.ValveId] = rec;
        }

        await r.NextResultAsync(ct);
        var connections = new List<StoredConnection>();
        while (await r.ReadAsync(ct))
            connections.Add(new StoredConnection(r.GetInt64(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetInt32(4)));
        await r.CloseAsync();
        await tx.CommitAsync(ct);

        return Assemble(version, pipes, valves, stations, sources, compounds, connections) with { FieldRecords = records };
    }

    private static NetworkLevel ParseLevel(string s) => s switch
    {
        "primary" => NetworkLevel.Primary,
        "building" => NetworkLevel.Building,
        _ => NetworkLevel.Secondary,
    };

    private readonly record struct PipeEnd(Coordinate At, int Pipe, bool AtStart);

    private readonly record struct Joined(Coordinate At, long PipeId, bool AtStart, double Distance);

    private static NetworkSnapshot Assemble(
        long version,
        List<(StoredPipe Info, LineString Line)> pipes,
        List<StoredValve> valves,
        List<(int Id, string Name, Point At)> stations,
        List<(int Id, Point At)> sources,
        List<(int Id, string Name, int Households, int? StationId, Geometry Footprint)> compounds,
        List<StoredConnection>? connections = null)
    {
        var gf = new GeometryFactory(new PrecisionModel(), 4547);
        var netPipes = pipes.Select(p => new NetworkPipe(p.Info.Id.ToString(CultureInfo.InvariantCulture), p.Line, p.Info.Status, "pipe", p.Info.Level)).ToList();
        var netValves = valves.Select(v => new NetworkValve(v.Id.ToString(CultureInfo.InvariantCulture), gf.CreatePoint(new Coordinate(v.X, v.Y)), v.State, v.Operable,
            v.PipeId?.ToString(CultureInfo.InvariantCulture))).ToList();

        // Pipe ends, indexed for "nearest end of a pipe like this".
        var ends = new STRtree<PipeEnd>();
        for (var i = 0; i < pipes.Count; i++)
        {
            var seq = pipes[i].Line.CoordinateSequence;
            var first = seq.GetCoordinate(0);
            var last = seq.GetCoordinate(seq.Count - 1);
            ends.Insert(new Envelope(first), new PipeEnd(first, i, true));
            ends.Insert(new Envelope(last), new PipeEnd(last, i, false));
        }
        if (pipes.Count > 0) ends.Build();

        Joined? NearestEnd(Coordinate near, double reach, Func<StoredPipe, bool> accept, Geometry? from = null)
        {
            if (pipes.Count == 0) return null;
            var env = from?.EnvelopeInternal.Copy() ?? new Envelope(near);
            env.ExpandBy(reach);
            Joined? best = null;
            foreach (var e in ends.Query(env))
            {
                var info = pipes[e.Pipe].Info;
                if (!accept(info)) continue;
                var d = from is null ? e.At.Distance(near) : from.Distance(gf.CreatePoint(e.At));
                if (d > reach) continue;
                // Ties (several pipes ending at one junction) go to the lowest pipe id: the same point either way.
                if (best is not { } b || d < b.Distance || (d == b.Distance && info.Id < b.PipeId)) best = new Joined(e.At, info.Id, e.AtStart, d);
            }
            return best;
        }

        // Explicit connections by what they join; a pipe end is looked up by pipe id.
        var pipeIndex = new Dictionary<long, int>(pipes.Count);
        for (var i = 0; i < pipes.Count; i++) pipeIndex[pipes[i].Info.Id] = i;
        var explicitCount = 0;
        var byTarget = new Dictionary<(string Kind, int Id), List<StoredConnection>>();
        foreach (var c in connections ?? [])
        {
            if (!pipeIndex.ContainsKey(c.PipeId)) continue;
            var key = c.CompoundId is { } cid ? ("compound", cid) : c.StationId is { } sid ? ("station", sid) : ("heat_source", c.HeatSourceId!.Value);
            if (!byTarget.TryGetValue(key, out var list)) byTarget[key] = list = [];
            list.Add(c);
        }

        // The explicit connection of a target for a flow (of several: the pipe end nearest the point or footprint, then the lowest pipe id).
        Joined? Explicit(string kind, int id, FlowDirection flow, Coordinate near, Geometry? from = null)
        {
            if (!byTarget.TryGetValue((kind, id), out var list)) return null;
            Joined? best = null;
            foreach (var c in list)
            {
                var (info, line) = pipes[pipeIndex[c.PipeId]];
                if (info.Flow != flow) continue;
                var at = c.AtStart ? line.CoordinateSequence.GetCoordinate(0) : line.CoordinateSequence.GetCoordinate(line.CoordinateSequence.Count - 1);
                var d = from is null ? at.Distance(near) : from.Distance(gf.CreatePoint(at));
                if (best is not { } b || d < b.Distance || (d == b.Distance && info.Id < b.PipeId)) best = new Joined(at, info.Id, c.AtStart, d);
            }
            if (best is not null) explicitCount++;
            return best;
        }

        var inferred = new List<InferredConnection>();
        Joined? Infer(string kind, int id, FlowDirection flow, Joined? found)
        {
            if (found is { } f) inferred.Add(new InferredConnection(kind, id, flow, f.PipeId, f.AtStart, Math.Round(f.Distance, 2), f.At.Copy()));
            return found;
        }

        var netStations = new List<NetworkStation>();
        foreach (var (id, _, at) in stations)
        {
            foreach (var flow in new[] { FlowDirection.Supply, FlowDirection.Return })
            {
                var c = (Explicit("station", id, flow, at.Coordinate)
                         ?? Infer("station", id, flow, NearestEnd(at.Coordinate, StationReachM, p => p.StationId == id && p.Flow == flow)))?.At;
                if (c is null && flow == FlowDirection.Supply) c = at.Coordinate;
                if (c is not null) netStations.Add(new NetworkStation(NetworkIds.Of(id, flow), gf.CreatePoint(c.Copy())));
            }
        }

        var netSources = new List<NetworkTap>();
        foreach (var (id, at) in sources)
            foreach (var flow in new[] { FlowDirection.Supply, FlowDirection.Return })
                if ((Explicit("heat_source", id, flow, at.Coordinate)
                     ?? Infer("heat_source", id, flow, NearestEnd(at.Coordinate, SourceReachM, p => p.Level == NetworkLevel.Primary && p.Flow == flow))) is { } c)
                    netSources.Add(new NetworkTap(NetworkIds.Of(id, flow), gf.CreatePoint(c.At.Copy())));

        var netConsumers = new List<NetworkTap>();
        var stored = new Dictionary<int, StoredCompound>(compounds.Count);
        foreach (var (id, name, households, stationId, footprint) in compounds)
        {
            bool Mine(StoredPipe p, FlowDirection flow) =>
                p.Level != NetworkLevel.Primary && p.Flow == flow && (stationId is null || p.StationId == stationId);
            var centre = footprint.Centroid.Coordinate;
            var supply = (Explicit("compound", id, FlowDirection.Supply, centre, footprint)
                          ?? Infer("compound", id, FlowDirection.Supply, NearestEnd(centre, ConsumerReachM, p => Mine(p, FlowDirection.Supply), footprint)))?.At;
            if (supply is not null)
            {
                netConsumers.Add(new NetworkTap(NetworkIds.Of(id, FlowDirection.Supply), gf.CreatePoint(supply.Copy()), households));
                if ((Explicit("compound", id, FlowDirection.Return, supply)
                     ?? Infer("compound", id, FlowDirection.Return, NearestEnd(supply, ConsumerReachM, p => Mine(p, FlowDirection.Return)))) is { } ret)
                    netConsumers.Add(new NetworkTap(NetworkIds.Of(id, FlowDirection.Return), gf.CreatePoint(ret.At.Copy()), households));
            }
            stored[id] = new StoredCompound(id, name, households, stationId, supply);
        }

        return new NetworkSnapshot(
            version,
            new NetworkInput(netPipes, netValves, netSources, netConsumers, netStations),
            pipes.ToDictionary(p => p.Info.Id, p => p.Info),
            valves.ToDictionary(v => v.Id),
            stored,
            stations.ToDictionary(s => s.Id, s => s.Name))
        {
            InferredConnections = inferred,
            ExplicitConnections = explicitCount,
        };
    }
}
