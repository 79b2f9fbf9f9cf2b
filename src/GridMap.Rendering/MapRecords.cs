using NetTopologySuite.Geometries;

namespace GridMap.Rendering;

/// <summary>Paper sizes a map is printed on.</summary>
public enum PaperSize { A4, A3 }

/// <summary>What a page is written as: vector PDF or a raster PNG.</summary>
public enum OutputFormat { Pdf, Png }

/// <summary>A compound to draw: footprint (WGS84 lon/lat), name, campaign stage code, households, dispute flag.</summary>
public sealed record CompoundShape(Geometry Footprint, string Name, string Stage, int Households, bool Dispute);

/// <summary>Kinds of administrative outline drawn for context, heaviest first.</summary>
public enum BoundaryKind { District, Street, Cell }

/// <summary>An outline (WGS84) with the name printed inside it.</summary>
public sealed record BoundaryShape(Geometry Area, string Name, BoundaryKind Kind);

/// <summary>A road centreline (WGS84) drawn for context.</summary>
public sealed record RoadShape(Geometry Line, string Name);

/// <summary>Everything a map frame shows: the extent [minLon, minLat, maxLon, maxLat] and the features in it.</summary>
public sealed record MapContent(double[] Extent, IReadOnlyList<CompoundShape> Compounds, IReadOnlyList<BoundaryShape> Boundaries, IReadOnlyList<RoadShape> Roads)
{
    /// <summary>Extent must be 4 finite numbers with min &lt; max in both axes (values valid from birth).</summary>
    public double[] Extent { get; } = Extent is [var a, var b, var c, var d] && double.IsFinite(a + b + c + d) && a < c && b < d && b > -85 && d < 85
        ? Extent : throw new ArgumentException("Extent must be [minLon, minLat, maxLon, maxLat] with min < max, latitudes within ±85°.", nameof(Extent));
}

/// <summary>A coverage map page: the map, title, the date and data source printed on it, and the paper.</summary>
public sealed record CoverageMapRequest(MapContent Map, string Title, string Subtitle, DateOnly Date, string DataSource,
    PaperSize Paper = PaperSize.A4, bool Landscape = false);

/// <summary>One compound's line in a notice board's retrofit schedule (dates when the campaign records them).</summary>
public sealed record ScheduleRow(string Compound, int Households, string Stage, double ConsentRate, bool Dispute, DateOnly? PlannedStart = null, DateOnly? PlannedFinish = null);

/// <summary>A cell notice board (网格公示牌): the cell, who is responsible, its schedule, and the URL its QR code opens.</summary>
public sealed record NoticeBoardRequest(string CellCode, string CellName, string District, string? Street, string Branch,
    string? StaffName, string? StaffPhone, MapContent Map, IReadOnlyList<ScheduleRow> Schedule, string CellUrl, DateOnly Date, string DataSource);

/// <summary>One unit's (district / street / cell) weekly figures for the progress spreadsheet.</summary>
public sealed record ProgressRow(string Code, string Name, string? Parent, int Compounds, long Households, IReadOnlyDictionary<string, long> HouseholdsByStage,
    double CompletedShare, double ConsentRate, int Disputes, int OverdueFollowUps);
