using System.Text.Json.Serialization;

namespace GridMap.Application.Network;

// The records the network queries return. Their JSON names are snake_case (like the CLI's), written out with
// [JsonPropertyName] so the OpenAPI document and the wire agree (NetworkApiTests compares them): the host's options
// (camelCase) do not rename them. A member that may be null is left out of the JSON when it is (the crew client tests
// for presence) and is therefore not "required" in the schema: a default value or a non-required init property.
// Numbers are written as numbers only (Strict), so the schema does not offer strings for them.

/// <summary>The cached graph: its version, size and how long it took to load and build.</summary>
/// <param name="Version">The <c>network_change</c> counter the graph was built at.</param>
/// <param name="Builds">How many times this process has built the graph.</param>
/// <param name="LoadMs">Load time of the last build, milliseconds.</param>
/// <param name="BuildMs">Build time of the last build, milliseconds.</param>
/// <param name="BuildFindings">Problems the builder met (e.g. a valve off every pipe).</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record NetworkStatus(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("builds")] int Builds,
    [property: JsonPropertyName("pipes")] int Pipes,
    [property: JsonPropertyName("valves")] int Valves,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("edges")] int Edges,
    [property: JsonPropertyName("segments")] int Segments,
    [property: JsonPropertyName("sources")] int Sources,
    [property: JsonPropertyName("consumers")] int Consumers,
    [property: JsonPropertyName("load_ms")] double LoadMs,
    [property: JsonPropertyName("build_ms")] double BuildMs,
    [property: JsonPropertyName("build_findings")] int BuildFindings);

/// <summary>Where the crew stands: WGS84 degrees and CGCS2000 / Gauss-Krüger CM 114E (EPSG:4547) metres.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record SitePosition(
    [property: JsonPropertyName("lon")] double Lon,
    [property: JsonPropertyName("lat")] double Lat,
    [property: JsonPropertyName("x4547")] double X4547,
    [property: JsonPropertyName("y4547")] double Y4547);

/// <summary>A pipe near the crew.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record NearPipe
{
    [JsonPropertyName("id")] public required long Id { get; init; }
    /// <summary>primary, secondary or building.</summary>
    [JsonPropertyName("level")] public required string Level { get; init; }
    /// <summary>supply or return.</summary>
    [JsonPropertyName("flow")] public required string Flow { get; init; }
    [JsonPropertyName("dn")] public required int Dn { get; init; }
    [JsonPropertyName("depth_m")] public required double DepthM { get; init; }
    [JsonPropertyName("material")] public required string Material { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    /// <summary>Metres to the closest point of the pipe (geodesic), rounded to 0.01.</summary>
    [JsonPropertyName("distance_m")] public required double DistanceM { get; init; }
    /// <summary>Degrees clockwise from north to that point, 0–360; absent when standing on the pipe.</summary>
    [JsonPropertyName("bearing_deg"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonNumberHandling(JsonNumberHandling.Strict)] public double? BearingDeg { get; init; }
    /// <summary>The closest point of the pipe, [lon, lat] WGS84.</summary>
    [JsonPropertyName("closest")] public required double[] Closest { get; init; }
}

/// <summary>The pipes nearest a position, closest first.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record NearestPipes(
    [property: JsonPropertyName("position")] SitePosition Position,
    [property: JsonPropertyName("pipes")] IReadOnlyList<NearPipe> Pipes);

/// <summary>
/// A trace from a pipe. Connected and downstream list what they reach (pipes, valves, stations, compounds);
/// upstream lists the path to the source or feeding station with its length and where it ends.
/// </summary>
/// <param name="Trace">"connected", "downstream" or "upstream".</param>
/// <param name="LengthM">Upstream only: the path's length, metres.</param>
/// <param name="EndsAt">Upstream only: the graph id of the source or station the path ends at ("17", "17:return"); absent when none is reached.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record NetworkTrace(
    [property: JsonPropertyName("trace")] string Trace,
    [property: JsonPropertyName("pipe")] long Pipe,
    [property: JsonPropertyName("cross_stations")] bool CrossStations,
    [property: JsonPropertyName("pipes")] IReadOnlyList<long> Pipes,
    [property: JsonPropertyName("valves")] IReadOnlyList<long> Valves,
    [property: JsonPropertyName("stations")] IReadOnlyList<long> Stations,
    [property: JsonPropertyName("compounds")] IReadOnlyList<AffectedCompound> Compounds,
    [property: JsonPropertyName("households")] long Households,
    [property: JsonPropertyName("length_m"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonNumberHandling(JsonNumberHandling.Strict)] double? LengthM = null,
    [property: JsonPropertyName("ends_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndsAt = null);

/// <summary>A validation finding: its type, the ids involved and where it is ([lon, lat] WGS84); <c>distance_m</c> when the
/// finding is about a distance (connection_inferred: how far the connection was inferred over).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record LocatedFinding(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("ids")] IReadOnlyList<string> Ids,
    [property: JsonPropertyName("location")] double[] Location,
    [property: JsonPropertyName("distance_m"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DistanceM = null);

/// <summary>Validation findings in an area: how many of each type, and the first <c>limit</c> of them.</summary>
/// <param name="Total">All findings in the area (of the type asked for), also those beyond the limit.</param>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record FindingsReport(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("by_type")] IReadOnlyDictionary<string, int> ByType,
    [property: JsonPropertyName("findings")] IReadOnlyList<LocatedFinding> Findings);

/// <summary>What a station's secondary network serves. The list of all stations leaves out the compound list and pipes.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ServiceArea
{
    [JsonPropertyName("station")] public required long Station { get; init; }
    /// <summary>The station's name; absent when the station has none.</summary>
    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; init; }
    [JsonPropertyName("compounds")] public required int Compounds { get; init; }
    [JsonPropertyName("households")] public required long Households { get; init; }
    /// <summary>The compounds served (one station only).</summary>
    [JsonPropertyName("compound_list"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<AffectedCompound>? CompoundList { get; init; }
    /// <summary>The secondary pipes, supply and return (one station only).</summary>
    [JsonPropertyName("pipes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<long>? Pipes { get; init; }
}
