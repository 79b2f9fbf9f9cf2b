using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;

namespace GridMap.Storage.Planning;

/// <summary>
/// A GeoJSON geometry (RFC 7946) as a plain record: positions are [lon, lat] in WGS84 degrees (lon −180…180,
/// lat −90…90), no z. Each concrete record fixes its own <c>type</c>, so the API documents each geometry's exact
/// shape. Values come either from PostGIS (<c>ST_AsGeoJSON(g, digits)</c>, which fixes the
/// number of decimals sent) or from an NTS geometry (<see cref="GeoJsonMultiPolygon.From"/>, full precision).
/// </summary>
public abstract record GeoJsonGeometry
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads PostGIS <c>ST_AsGeoJSON</c> text of a geometry the query guarantees to be a <typeparamref name="T"/>.</summary>
    internal static T Parse<T>(string geoJson) where T : GeoJsonGeometry =>
        JsonSerializer.Deserialize<T>(geoJson, Options) ?? throw new InvalidOperationException("GeoJSON geometry is null.");
}

/// <summary>A GeoJSON Polygon: rings of [lon, lat] positions, the first the shell.</summary>
public sealed record GeoJsonPolygon(double[][][] Coordinates) : GeoJsonGeometry
{
    /// <summary>Always <c>Polygon</c>.</summary>
    [JsonRequired, JsonPropertyOrder(-1)]
    public string Type { get; init; } = "Polygon";
}

/// <summary>A GeoJSON MultiPolygon: polygons of rings of [lon, lat] positions.</summary>
public sealed record GeoJsonMultiPolygon(double[][][][] Coordinates) : GeoJsonGeometry
{
    /// <summary>Always <c>MultiPolygon</c>.</summary>
    [JsonRequired, JsonPropertyOrder(-1)]
    public string Type { get; init; } = "MultiPolygon";

    /// <summary>The polygon(s) of an NTS geometry at full double precision (a Polygon becomes a one-part MultiPolygon),
    /// rings oriented as RFC 7946 asks: exterior counter-clockwise, holes clockwise.</summary>
    public static GeoJsonMultiPolygon From(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        var polygons = Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>();
        return new(polygons.Select(p => new[] { Ring(p.Shell, ccw: true) }.Concat(p.Holes.Select(h => Ring(h, ccw: false))).ToArray()).ToArray());
    }

    private static double[][] Ring(LineString ring, bool ccw)
    {
        var points = ring.Coordinates.Select(c => new[] { c.X, c.Y }).ToArray();
        if (points.Length >= 4 && NetTopologySuite.Algorithm.Orientation.IsCCW(ring.CoordinateSequence) != ccw) Array.Reverse(points);
        return points;
    }
}

/// <summary>A GeoJSON LineString of [lon, lat] positions.</summary>
public sealed record GeoJsonLineString(double[][] Coordinates) : GeoJsonGeometry
{
    /// <summary>Always <c>LineString</c>.</summary>
    [JsonRequired, JsonPropertyOrder(-1)]
    public string Type { get; init; } = "LineString";
}

/// <summary>A GeoJSON Feature with an integer id and typed properties.</summary>
public sealed record Feature<TProperties, TGeometry>(int Id, TGeometry Geometry, TProperties Properties) where TProperties : class where TGeometry : GeoJsonGeometry
{
    /// <summary>Always <c>Feature</c>.</summary>
    [JsonRequired, JsonPropertyOrder(-1)]
    public string Type { get; init; } = "Feature";
}

/// <summary>A GeoJSON FeatureCollection of one plan's features (<see cref="PlanId"/> is a foreign member).</summary>
public sealed record FeatureCollection<TProperties, TGeometry>(long PlanId, IReadOnlyList<Feature<TProperties, TGeometry>> Features)
    where TProperties : class where TGeometry : GeoJsonGeometry
{
    /// <summary>Always <c>FeatureCollection</c>.</summary>
    [JsonRequired, JsonPropertyOrder(-1)]
    public string Type { get; init; } = "FeatureCollection";
}
