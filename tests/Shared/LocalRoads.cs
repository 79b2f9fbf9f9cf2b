using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Tests.Shared;

/// <summary>
/// Tiny hand-checkable worlds for road-travel tests, written in EPSG:4547 metres around (<see cref="X0"/>, <see cref="Y0"/>)
/// and stored as WGS84 the way the tables hold them. <see cref="URoads"/> is a "U" of roads round a gap (a river with no
/// bridge on the west side), so the point nearer as the crow flies can be the farther by road:
/// <code>
///   C  (0,1000) ───────────── (1000,1000)
///                                  │ B
///   A  (0,0)    ───────────── (1000,0)
/// </code>
/// </summary>
public static class LocalRoads
{
    public const double X0 = 450_000, Y0 = 3_850_000;

    public static readonly (string Name, string Kind, (double X, double Y)[] Line)[] URoads =
    [
        ("A 南路", "arterial", [(0, 0), (1000, 0)]),
        ("B 东路", "arterial", [(1000, 0), (1000, 1000)]),
        ("C 北路", "local", [(0, 1000), (1000, 1000)]),
    ];

    /// <summary>Inserts <paramref name="roads"/> (local metres) into <c>road</c> with ids from <paramref name="firstId"/>.</summary>
    public static async Task AddAsync(TestDatabase db, int firstId, params (string Name, string Kind, (double X, double Y)[] Line)[] roads)
    {
        var id = firstId;
        foreach (var (name, kind, line) in roads)
        {
            var wkt = "LINESTRING(" + string.Join(",", line.Select(p => FormattableString.Invariant($"{X0 + p.X} {Y0 + p.Y}"))) + ")";
            await using var cmd = db.DataSource.CreateCommand("INSERT INTO road (id, name, kind, geom) VALUES (@id, @name, @kind, ST_Transform(ST_GeomFromText(@wkt, 4547), 4326))");
            cmd.Parameters.AddWithValue("id", (long)id++); cmd.Parameters.AddWithValue("name", name);
            cmd.Parameters.AddWithValue("kind", kind); cmd.Parameters.AddWithValue("wkt", wkt);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A WKT in local metres (offset from X0, Y0) as WGS84, the way the tables store it.</summary>
    public static Geometry Wgs(string localWkt)
    {
        var g = new WKTReader().Read(localWkt);
        g.Apply(new Shifter());
        return Crs.GaussKruger114.ToWgs84(g);
    }

    /// <summary>A polygon as a MultiPolygon (SRID 4326), the type of the area columns.</summary>
    public static MultiPolygon Multi(Geometry g)
    {
        var mp = g is Polygon p ? g.Factory.CreateMultiPolygon([p]) : (MultiPolygon)g;
        mp.SRID = 4326;
        return mp;
    }

    private sealed class Shifter : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, seq.GetX(i) + X0);
            seq.SetY(i, seq.GetY(i) + Y0);
        }
    }
}
