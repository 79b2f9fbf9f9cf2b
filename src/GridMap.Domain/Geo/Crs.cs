using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace GridMap.Domain.Geo;

/// <summary>
/// A coordinate reference system GridMap can read and write. Storage is WGS84 lon/lat (EPSG:4326);
/// lengths and areas are computed in CGCS2000 / 3-degree Gauss-Krüger CM 114E (EPSG:4547), metres.
/// CGCS2000 geographic (EPSG:4490) differs from WGS84 by centimetres and is treated as the same datum.
/// </summary>
public sealed class Crs : IEquatable<Crs>
{
    /// <summary>Storage CRS: WGS84 longitude/latitude, degrees.</summary>
    public static readonly Crs Wgs84 = new("EPSG:4326", 4326, true, null);
    /// <summary>CGCS2000 geographic, degrees.</summary>
    public static readonly Crs Cgcs2000 = new("EPSG:4490", 4490, true, null);
    /// <summary>NAD83 geographic (US census data), treated as WGS84: the datums differ by about a metre.</summary>
    public static readonly Crs Nad83 = new("EPSG:4269", 4269, true, null);
    /// <summary>GCJ-02, the offset lon/lat of Chinese web maps (no EPSG code).</summary>
    public static readonly Crs Gcj02Crs = new("GCJ-02", 0, true, null);
    /// <summary>CGCS2000 / 3-degree Gauss-Krüger CM 114E, metres: GridMap's metric working CRS.</summary>
    public static readonly Crs GaussKruger114 = new("EPSG:4547", 4547, false, Tm("CGCS2000 / 3-degree Gauss-Kruger CM 114E", 114, 500000));
    /// <summary>CGCS2000 / 3-degree Gauss-Krüger zone 38 (CM 114E, zone-prefixed easting), metres.</summary>
    public static readonly Crs GaussKrugerZone38 = new("EPSG:4526", 4526, false, Tm("CGCS2000 / 3-degree Gauss-Kruger zone 38", 114, 38500000));
    /// <summary>Web Mercator, metres (display only; never for measuring).</summary>
    public static readonly Crs WebMercator = new("EPSG:3857", 3857, false, (ProjectedCoordinateSystem)ProjectedCoordinateSystem.WebMercator);
    /// <summary>ETRS89 / UTM zone 32N with zone prefix (used by the DHNx sample network), metres.</summary>
    public static readonly Crs Etrs89Utm32NZone = new("EPSG:4647", 4647, false, Tm("ETRS89 / UTM zone 32N (zE-N)", 9, 32500000, 0.9996));
    /// <summary>Planar coordinates with no geodetic meaning (engineering drawings, test networks).</summary>
    public static readonly Crs Local = new("local", -1, false, null);

    private static readonly Crs[] Known = [Wgs84, Cgcs2000, Nad83, Gcj02Crs, GaussKruger114, GaussKrugerZone38, WebMercator, Etrs89Utm32NZone, Local];
    private readonly ProjectedCoordinateSystem? _projected;
    private MathTransform? _toWgs84, _fromWgs84;

    private Crs(string code, int srid, bool geographic, ProjectedCoordinateSystem? projected)
    {
        Code = code; Srid = srid; IsGeographic = geographic; _projected = projected;
    }

    /// <summary>Canonical code, e.g. "EPSG:4547", "GCJ-02" or "local".</summary>
    public string Code { get; }
    /// <summary>EPSG code; 0 for GCJ-02, -1 for local.</summary>
    public int Srid { get; }
    /// <summary>True for lon/lat in degrees.</summary>
    public bool IsGeographic { get; }
    private bool IsWgs84Like => IsGeographic && Srid > 0;

    /// <summary>True for planar coordinates without a known datum (no transformation possible).</summary>
    public bool IsLocal => Srid == -1;

    /// <summary>Every CRS GridMap accepts, for help texts and error messages.</summary>
    public static IReadOnlyList<string> Supported => Known.Select(k => k.Code).ToArray();

    /// <summary>
    /// Parses "EPSG:4547", "4547", "urn:ogc:def:crs:EPSG::4547", "CRS84", "GCJ02"/"GCJ-02" or "local".
    /// Throws <see cref="ArgumentException"/> naming the supported systems otherwise.
    /// </summary>
    public static Crs Parse(string text)
    {
        if (TryParse(text, out var crs)) return crs;
        throw new ArgumentException($"Unsupported coordinate system '{text}'. Supported: {string.Join(", ", Supported)}.");
    }

    public static bool TryParse(string? text, out Crs crs)
    {
        crs = Wgs84;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().ToUpperInvariant();
        if (t is "LOCAL" or "PLANAR" or "NONE") { crs = Local; return true; }
        if (t is "GCJ02" or "GCJ-02" or "GCJ") { crs = Gcj02Crs; return true; }
        if (t.EndsWith("CRS84", StringComparison.Ordinal) || t == "WGS84") { crs = Wgs84; return true; }
        var m = EpsgPattern().Match(t);
        if (!m.Success) return false;
        var srid = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var found = Known.FirstOrDefault(k => k.Srid == srid);
        if (found is null) return false;
        crs = found;
        return true;
    }

    /// <summary>Transforms a geometry from this CRS to WGS84 lon/lat (returns a copy with SRID 4326).</summary>
    public Geometry ToWgs84(Geometry g)
    {
        if (IsLocal) throw new InvalidOperationException("Local (planar) coordinates cannot be transformed to WGS84.");
        var copy = g.Copy();
        if (!IsWgs84Like)
            copy.Apply(new PointFilter(ToWgs84Point));
        copy.SRID = 4326;
        return copy;
    }

    /// <summary>Transforms a geometry from WGS84 lon/lat to this CRS (returns a copy with this SRID, 0 if none).</summary>
    public Geometry FromWgs84(Geometry g)
    {
        if (IsLocal) throw new InvalidOperationException("WGS84 cannot be transformed to local (planar) coordinates.");
        var copy = g.Copy();
        if (!IsWgs84Like)
            copy.Apply(new PointFilter(FromWgs84Point));
        copy.SRID = Math.Max(Srid, 0);
        return copy;
    }

    /// <summary>One point from this CRS to WGS84.</summary>
    public (double Lon, double Lat) ToWgs84Point(double x, double y)
    {
        if (IsWgs84Like) return (x, y);
        if (this == Gcj02Crs) return Gcj02.ToWgs84(x, y);
        if (IsLocal) throw new InvalidOperationException("Local coordinates have no WGS84 position.");
        _toWgs84 ??= Factory.CreateFromCoordinateSystems(_projected!, GeographicCoordinateSystem.WGS84).MathTransform;
        var r = _toWgs84.Transform(x, y);
        return (r.x, r.y);
    }

    /// <summary>One point from WGS84 to this CRS.</summary>
    public (double X, double Y) FromWgs84Point(double lon, double lat)
    {
        if (IsWgs84Like) return (lon, lat);
        if (this == Gcj02Crs) return Gcj02.FromWgs84(lon, lat);
        if (IsLocal) throw new InvalidOperationException("Local coordinates have no WGS84 position.");
        _fromWgs84 ??= Factory.CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, _projected!).MathTransform;
        var r = _fromWgs84.Transform(lon, lat);
        return (r.x, r.y);
    }

    public bool Equals(Crs? other) => other is not null && other.Code == Code;
    public override bool Equals(object? obj) => Equals(obj as Crs);
    public override int GetHashCode() => Code.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Code;
    public static bool operator ==(Crs? a, Crs? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Crs? a, Crs? b) => !(a == b);

    private static readonly CoordinateTransformationFactory Factory = new();

    private static ProjectedCoordinateSystem Tm(string name, double centralMeridian, double falseEasting, double scale = 1.0)
    {
        var csf = new CoordinateSystemFactory();
        // Projected on the WGS84 geographic system itself: CGCS2000 and WGS84 differ by centimetres and their
        // ellipsoids in the 11th digit of 1/f, while a ProjNet datum shift between them adds ~1 cm of round-trip drift.
        var gcs = GeographicCoordinateSystem.WGS84;
        var parameters = new List<ProjectionParameter>
        {
            new("latitude_of_origin", 0), new("central_meridian", centralMeridian), new("scale_factor", scale),
            new("false_easting", falseEasting), new("false_northing", 0),
        };
        var projection = csf.CreateProjection("Transverse_Mercator", "Transverse_Mercator", parameters);
        return csf.CreateProjectedCoordinateSystem(name, gcs, projection, LinearUnit.Metre,
            new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
    }

    private static Regex EpsgPattern() => EpsgRegex;
    private static readonly Regex EpsgRegex = new(@"(?:EPSG:+|^)(\d{4,5})$", RegexOptions.Compiled);

    private sealed class PointFilter(Func<double, double, (double, double)> f) : IEntireCoordinateSequenceFilter
    {
        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = f(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x); seq.SetY(i, y);
            }
        }
        public bool Done => false;
        public bool GeometryChanged => true;
    }
}
