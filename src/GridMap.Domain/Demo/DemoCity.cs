using GridMap.Domain.Model;

namespace GridMap.Domain.Demo;

/// <summary>
/// A generated demo Zhengzhou: real district boundaries, arterials and names, synthetic compounds and heat network.
/// All geometries are WGS84 lon/lat (SRID 4326); ids are unique per list and every cross-reference resolves
/// inside this record (compound → station/district/street/community, pipe → station, valve → pipe, staff → branch).
/// </summary>
public sealed record DemoCity(
    int Seed,
    IReadOnlyList<Branch> Branches,
    IReadOnlyList<District> Districts,
    IReadOnlyList<Street> Streets,
    IReadOnlyList<Community> Communities,
    IReadOnlyList<Road> Roads,
    IReadOnlyList<HeatSource> HeatSources,
    IReadOnlyList<Station> Stations,
    IReadOnlyList<Compound> Compounds,
    IReadOnlyList<Pipe> Pipes,
    IReadOnlyList<Valve> Valves,
    IReadOnlyList<Staff> Staff)
{
    /// <summary>Explicit connections the generator knows (service pipe end ↔ compound, station pipes ↔ station, feeder ↔ heat source).</summary>
    public IReadOnlyList<DemoConnection> Connections { get; init; } = [];

    /// <summary>One line of counts, for logs and progress output.</summary>
    public string Summary() =>
        $"branches {Branches.Count}, districts {Districts.Count}, streets {Streets.Count}, communities {Communities.Count}, " +
        $"roads {Roads.Count}, heat sources {HeatSources.Count}, stations {Stations.Count}, compounds {Compounds.Count}, " +
        $"pipes {Pipes.Count}, valves {Valves.Count}, staff {Staff.Count}";
}

/// <summary>A connection of the demo network: pipe <see cref="PipeId"/>'s start (or end) joins <see cref="Kind"/>
/// (compound, station or heat_source) <see cref="TargetId"/>.</summary>
public sealed record DemoConnection(long PipeId, bool AtStart, string Kind, int TargetId);
