namespace GridMap.Domain.Network;

/// <summary>
/// One validation finding: a <see cref="Type"/> code (see <see cref="FindingTypes"/>), the ids involved
/// (pipes, valves, sources, consumers or stations, as given in the input) and a location in the graph's
/// planar coordinates.
/// </summary>
public sealed record NetworkFinding(string Type, IReadOnlyList<string> Ids, double X, double Y)
{
    /// <summary>A distance the finding is about, metres (map units for local coordinates), when it has one: for
    /// <see cref="FindingTypes.ConnectionInferred"/>, how far the connection was inferred over.</summary>
    public double? DistanceM { get; init; }
}

/// <summary>The finding type codes written by <c>gridmap network check</c>.</summary>
public static class FindingTypes
{
    /// <summary>A pipe end joined to nothing lies within the snap tolerance of another pipe's interior (missing junction or undershoot).</summary>
    public const string DanglingEnd = "dangling_end";
    /// <summary>Two pipes join the same two nodes along the same line (within the tolerance).</summary>
    public const string DuplicatePipe = "duplicate_pipe";
    /// <summary>Two pipes cross or touch away from any shared node.</summary>
    public const string CrossingWithoutJunction = "crossing_without_junction";
    /// <summary>A pipe shorter than the snap tolerance.</summary>
    public const string ZeroLength = "zero_length";
    /// <summary>A valve farther than the snap tolerance from every pipe (it is ignored).</summary>
    public const string ValveNotOnPipe = "valve_not_on_pipe";
    /// <summary>A valve at the same distance from several pipes, with no <c>pipe</c> attribute, where the choice changes the
    /// topology (not two pipes simply meeting at it): the preferred pipe was taken (ends on different nodes, then smallest id).</summary>
    public const string ValveAmbiguous = "valve_ambiguous";
    /// <summary>A valve whose two sides fall in one segment (for example on a pipe shorter than the snap tolerance, whose
    /// ends snapped to one junction, or alone on a loop): closing it isolates nothing. Ids: the valve and its pipe.</summary>
    public const string ValveWithinSegment = "valve_within_segment";
    /// <summary>A connected part of the network (stations included) that holds no source; only checked when sources are given.</summary>
    public const string IslandWithoutSource = "island_without_source";
    /// <summary>A loop in the secondary (or building) network, which should be a tree; ids are the pipes on the loop(s).</summary>
    public const string SecondaryLoop = "secondary_loop";
    /// <summary>A source or consumer farther than the snap tolerance from every pipe.</summary>
    public const string NotOnNetwork = "not_on_network";
    /// <summary>A pipe end at a station whose level is unknown: it was joined to the primary side.</summary>
    public const string StationSideUnknown = "station_side_unknown";
    /// <summary>A compound, station or heat source joined to a pipe end by distance because the data names no connection for it;
    /// ids: what was joined (as the graph names it) and the pipe; <see cref="NetworkFinding.DistanceM"/> the distance.</summary>
    public const string ConnectionInferred = "connection_inferred";
}
