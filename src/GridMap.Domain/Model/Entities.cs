using NetTopologySuite.Geometries;

namespace GridMap.Domain.Model;

// Entities of the campaign. Geometries are WGS84 lon/lat (SRID 4326) unless stated otherwise.
// Constructors reject values that cannot be, so invalid data is stopped at the edge.

/// <summary>分公司 — a branch of the heating company and its service area (a union of districts).</summary>
public sealed record Branch(int Id, string Name, MultiPolygon Area);

/// <summary>区 — a district with its 6-digit administrative code (e.g. 410102 中原区).</summary>
public sealed record District(string Code, string Name, int BranchId, MultiPolygon Area)
{
    public string Code { get; } = Code.Length == 6 && Code.All(char.IsAsciiDigit) ? Code : throw new ArgumentException($"District code must be 6 digits, got '{Code}'.");
}

/// <summary>街道 — a street office with its 9-digit code (district + 3). Area may be null (no official polygons).</summary>
public sealed record Street(string Code, string Name, string DistrictCode, MultiPolygon? Area);

/// <summary>社区 — a community with its 12-digit code (street + 3).</summary>
public sealed record Community(string Code, string Name, string StreetCode);

/// <summary>热源 — a heat source (CHP plant, boiler house).</summary>
public sealed record HeatSource(int Id, string Name, double CapacityMw, Point Location);

/// <summary>换热站 — a heat-exchange station between the primary and the secondary network.</summary>
public sealed record Station(int Id, string Name, string DistrictCode, double CapacityKw, Point Location);

/// <summary>员工 — a staff member; base location is where their travel starts.</summary>
public sealed record Staff(int Id, string Name, string Phone, StaffRole Role, int BranchId, Point Base);

/// <summary>小区 — an old residential compound.</summary>
public sealed record Compound
{
    public required int Id { get; init; }
    public required string Name { get; init; }
    public string? Address { get; init; }
    public required string DistrictCode { get; init; }
    public string? StreetCode { get; init; }
    public string? CommunityCode { get; init; }
    public required Polygon Footprint { get; init; }
    /// <summary>Households (户), ≥ 0.</summary>
    public required int Households { get => _households; init => _households = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Households), value, "Households cannot be negative."); }
    private readonly int _households;
    public int Buildings { get => _buildings; init => _buildings = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Buildings), value, "Buildings cannot be negative."); }
    private readonly int _buildings;
    /// <summary>Heated floor area, m², ≥ 0.</summary>
    public double HeatedAreaM2 { get => _area; init => _area = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(HeatedAreaM2), value, "Heated area cannot be negative."); }
    private readonly double _area;
    public int? BuiltYear { get; init; }
    public HeatingSystem HeatingSystem { get; init; } = HeatingSystem.Series;
    public RetrofitStatus RetrofitStatus { get; init; } = RetrofitStatus.NotStarted;
    /// <summary>Share of households that consented, 0–1.</summary>
    public double ConsentRate { get => _consent; init => _consent = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ConsentRate), value, "Consent rate must be between 0 and 1."); }
    private readonly double _consent;
    public bool Dispute { get; init; }
    public string? DisputeNotes { get; init; }
    public bool PropertyManagement { get; init; }
    /// <summary>Fee collection: "paid", "partial", "arrears".</summary>
    public string FeeStatus { get; init; } = "paid";
    public int? SecondaryRetrofitYear { get; init; }
    /// <summary>Station that serves this compound, if known.</summary>
    public int? StationId { get; init; }
}

/// <summary>管道 — one pipe segment (a LineString).</summary>
public sealed record Pipe
{
    public required long Id { get; init; }
    public required NetworkLevel Level { get; init; }
    public required FlowDirection Flow { get; init; }
    /// <summary>Nominal diameter DN in mm, 15–1400.</summary>
    public required int Dn { get => _dn; init => _dn = value is >= 15 and <= 1400 ? value : throw new ArgumentOutOfRangeException(nameof(Dn), value, "DN must be between 15 and 1400 mm."); }
    private readonly int _dn;
    public string Material { get; init; } = "steel";
    public int? InstallYear { get; init; }
    /// <summary>Depth of cover in metres, 0–10.</summary>
    public double DepthM { get => _depth; init => _depth = value is >= 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(DepthM), value, "Depth must be between 0 and 10 m."); }
    private readonly double _depth = 1.2;
    public OpenState Status { get; init; } = OpenState.Open;
    public int? StationId { get; init; }
    public required LineString Geometry { get; init; }
}

/// <summary>阀门 — an isolation valve on a pipe.</summary>
public sealed record Valve
{
    public required long Id { get; init; }
    public OpenState State { get; init; } = OpenState.Open;
    /// <summary>False when broken or inaccessible: it cannot be closed in an isolation.</summary>
    public bool Operable { get; init; } = true;
    public NetworkLevel Level { get; init; } = NetworkLevel.Secondary;
    public int Dn { get; init; } = 100;
    public long? PipeId { get; init; }
    public required Point Location { get; init; }
}

/// <summary>网格 — a grid cell with its 15-digit code (district 6 + street 3 + community 3 + sequence 3).</summary>
public sealed record GridCell(string Code, string Name, string DistrictCode, int? StaffId, MultiPolygon Area)
{
    public string Code { get; } = Code.Length == 15 && Code.All(char.IsAsciiDigit) ? Code : throw new ArgumentException($"Grid cell code must be 15 digits, got '{Code}'.");
}

/// <summary>道路 — a road for the basemap. Arterials (主干道) are barriers grid cells do not straddle; local
/// roads (支路) are drawn but cells may cross them.</summary>
public sealed record Road(long Id, string Name, LineString Geometry, RoadKind Kind = RoadKind.Arterial);
