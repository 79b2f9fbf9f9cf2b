using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Network;

/// <summary>
/// A pipe (or other link) as the topology engine reads it: any string id, a planar LineString (metres, or map
/// units for local coordinates), its physical state, its kind and optionally its network level.
/// </summary>
/// <remarks>
/// Kind is a free lower-case code: "pipe" (default), "pump", "valve" (an EPANET control-valve link) and any
/// other code are ordinary links; "station" (or "heat_exchanger") is a station device whose first vertex is the
/// primary side and last vertex the secondary side. Level decides which side of a <see cref="NetworkStation"/>
/// a pipe end attaches to.
/// </remarks>
public sealed record NetworkPipe
{
    public NetworkPipe(string id, LineString geometry, OpenState status = OpenState.Open, string kind = "pipe", NetworkLevel? level = null)
    {
        Id = string.IsNullOrWhiteSpace(id) ? throw new ArgumentException("A pipe needs a non-empty id.", nameof(id)) : id;
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry.IsEmpty || geometry.NumPoints < 2 ? throw new ArgumentException($"Pipe '{id}' has no line geometry (needs at least two points).", nameof(geometry)) : geometry;
        Status = status;
        Kind = string.IsNullOrWhiteSpace(kind) ? "pipe" : kind.Trim().ToLowerInvariant();
        Level = level;
    }

    public string Id { get; }
    public LineString Geometry { get; }
    /// <summary>Closed pipes do not carry heat but still belong to the segment they lie in.</summary>
    public OpenState Status { get; }
    public string Kind { get; }
    public NetworkLevel? Level { get; }
    /// <summary>True for a station device link (kind "station" or "heat_exchanger").</summary>
    public bool IsStationDevice => Kind is "station" or "heat_exchanger";

    /// <summary>From the domain model: the id is the decimal pipe id, the level is kept.</summary>
    public static NetworkPipe FromModel(Pipe pipe) =>
        new(pipe.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), pipe.Geometry, pipe.Status, "pipe", pipe.Level);
}

/// <summary>
/// An isolation valve as a point. It is placed on <see cref="PipeId"/> when given, else on the nearest pipe
/// within the snap tolerance. A valve within the snap tolerance of its pipe's end sits exactly at that end
/// (it separates that pipe from the junction, as WNTR's valve layer does).
/// </summary>
public sealed record NetworkValve
{
    public NetworkValve(string id, Point location, OpenState state = OpenState.Open, bool operable = true, string? pipeId = null)
    {
        Id = string.IsNullOrWhiteSpace(id) ? throw new ArgumentException("A valve needs a non-empty id.", nameof(id)) : id;
        ArgumentNullException.ThrowIfNull(location);
        Location = location.IsEmpty ? throw new ArgumentException($"Valve '{id}' has no point geometry.", nameof(location)) : location;
        State = state;
        Operable = operable;
        PipeId = pipeId;
    }

    public string Id { get; }
    public Point Location { get; }
    /// <summary>Normal (current) state. A closed valve always bounds a segment and never needs closing.</summary>
    public OpenState State { get; }
    /// <summary>False when broken or inaccessible: an open inoperable valve conducts and cannot bound a segment.</summary>
    public bool Operable { get; }
    /// <summary>Optional id of the pipe the valve sits on (disambiguates valves drawn at a junction).</summary>
    public string? PipeId { get; }

    /// <summary>From the domain model (ids as decimal strings).</summary>
    public static NetworkValve FromModel(Valve valve) =>
        new(valve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), valve.Location, valve.State, valve.Operable,
            valve.PipeId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// A point attached to the network: a heat source or a consumer (compound, building). It joins the nearest pipe
/// end within the snap tolerance, else the nearest pipe within the tolerance (the pipe is split there).
/// </summary>
public sealed record NetworkTap
{
    public NetworkTap(string id, Point location, int households = 0)
    {
        Id = string.IsNullOrWhiteSpace(id) ? throw new ArgumentException("A source or consumer needs a non-empty id.", nameof(id)) : id;
        ArgumentNullException.ThrowIfNull(location);
        Location = location.IsEmpty ? throw new ArgumentException($"'{id}' has no point geometry.", nameof(location)) : location;
        Households = households >= 0 ? households : throw new ArgumentOutOfRangeException(nameof(households), households, $"'{id}': households cannot be negative.");
    }

    public string Id { get; }
    public Point Location { get; }
    /// <summary>Households served (户), ≥ 0; 0 for sources.</summary>
    public int Households { get; }
}

/// <summary>
/// A heat-exchange station as a point device with two sides: pipe ends within the snap tolerance join its primary
/// side when their level is <see cref="NetworkLevel.Primary"/>, its secondary side otherwise. Heat passes from the
/// primary to the secondary side; water never does, so segments never cross a station.
/// </summary>
public sealed record NetworkStation
{
    public NetworkStation(string id, Point location)
    {
        Id = string.IsNullOrWhiteSpace(id) ? throw new ArgumentException("A station needs a non-empty id.", nameof(id)) : id;
        ArgumentNullException.ThrowIfNull(location);
        Location = location.IsEmpty ? throw new ArgumentException($"Station '{id}' has no point geometry.", nameof(location)) : location;
    }

    public string Id { get; }
    public Point Location { get; }

    /// <summary>From the domain model (id as a decimal string).</summary>
    public static NetworkStation FromModel(Station station) =>
        new(station.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), station.Location);
}

/// <summary>Everything the graph is built from. Ids must be unique within each list (pipes, valves, sources+consumers, stations).</summary>
public sealed record NetworkInput(
    IReadOnlyList<NetworkPipe> Pipes,
    IReadOnlyList<NetworkValve>? Valves = null,
    IReadOnlyList<NetworkTap>? Sources = null,
    IReadOnlyList<NetworkTap>? Consumers = null,
    IReadOnlyList<NetworkStation>? Stations = null);
