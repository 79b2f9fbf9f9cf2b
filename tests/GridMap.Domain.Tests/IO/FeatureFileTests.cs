using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;

namespace GridMap.Domain.Tests.IO;

public sealed class FeatureFileTests : IDisposable
{
    private static readonly GeometryFactory F = new();
    private readonly List<string> _dirs = [];

    private string TempDir()
    {
        var d = Directory.CreateTempSubdirectory("gm-io-").FullName;
        _dirs.Add(d);
        return d;
    }

    public void Dispose()
    {
        foreach (var d in _dirs)
            try { Directory.Delete(d, recursive: true); } catch (IOException) { }
    }

    private const string GaussKrugerPrj = """PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    [Fact]
    public void Shapefile_WithGaussKrugerPrj_IsReadAsEpsg4547WithAttributes()
    {
        var dir = TempDir();
        var shp = Path.Combine(dir, "compounds.shp");
        var (x, y) = Crs.GaussKruger114.FromWgs84Point(113.65, 34.75);
        var poly = F.CreatePolygon([new(x, y), new(x + 80, y), new(x + 80, y + 60), new(x, y + 60), new(x, y)]);
        var attrs = new AttributesTable { { "name", "文化路小区" }, { "households", 300 } };
        Shapefile.WriteAllFeatures([new Feature(poly, attrs)], shp);
        File.WriteAllText(Path.ChangeExtension(shp, ".prj"), GaussKrugerPrj);

        var set = FeatureFile.Read(shp);
        Assert.Equal(Crs.GaussKruger114, set.Crs);
        Assert.True(set.CrsFromFile);
        var f = Assert.Single(set.Features);
        Assert.Equal("文化路小区", f.Properties["name"]);
        Assert.Equal(300L, f.Properties["households"]);
        Assert.Equal(x, f.Geometry!.Coordinates.Min(c => c.X), 6);
    }

    [Fact]
    public void Shapefile_WithoutPrj_AsksForCrs()
    {
        var dir = TempDir();
        var shp = Path.Combine(dir, "pipes.shp");
        Shapefile.WriteAllFeatures([new Feature(F.CreateLineString([new(0, 0), new(1, 1)]), new AttributesTable { { "dn", 100 } })], shp);
        File.Delete(Path.ChangeExtension(shp, ".prj"));
        var e = Assert.Throws<FeatureFileException>(() => FeatureFile.Read(shp));
        Assert.Contains("--crs", e.Message, StringComparison.Ordinal);
        Assert.Equal(Crs.Wgs84, FeatureFile.Read(shp, Crs.Wgs84).Crs);
    }

    [Fact]
    public void GeoPackage_FeatureTable_IsReadWithSrsAndAttributes()
    {
        var path = Path.Combine(TempDir(), "valves.gpkg");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
                INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84"]', NULL);
                CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
                INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('valves', 'features', 4326);
                CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z TINYINT, m TINYINT);
                INSERT INTO gpkg_geometry_columns VALUES ('valves', 'geom', 'POINT', 4326, 0, 0);
                CREATE TABLE valves (fid INTEGER PRIMARY KEY, geom BLOB, state TEXT, operable INTEGER);
                """;
            cmd.ExecuteNonQuery();
            using var ins = c.CreateCommand();
            ins.CommandText = "INSERT INTO valves (geom, state, operable) VALUES ($g, 'closed', 0)";
            ins.Parameters.AddWithValue("$g", new GeoPackageGeoWriter().Write(new Point(113.65, 34.75) { SRID = 4326 }));
            ins.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var set = FeatureFile.Read(path);
        Assert.Equal(Crs.Wgs84, set.Crs);
        var f = Assert.Single(set.Features);
        Assert.Equal("closed", f.Properties["state"]);
        Assert.Equal(0L, f.Properties["operable"]);
        Assert.Equal(new Coordinate(113.65, 34.75), f.Geometry!.Coordinate);
    }

    [Fact]
    public void UnsupportedExtension_IsNamed()
    {
        var path = Path.Combine(TempDir(), "data.kml");
        File.WriteAllText(path, "<kml/>");
        var e = Assert.Throws<FeatureFileException>(() => FeatureFile.Read(path));
        Assert.Contains(".kml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeoJson_RoundTrip_KeepsCrsMemberAndProperties()
    {
        var path = Path.Combine(TempDir(), "out.geojson");
        var pt = new Point(500000, 3846000);
        FeatureFile.WriteGeoJson(path, [(pt, new Dictionary<string, object?> { ["id"] = 7L, ["name"] = "阀门" })], Crs.GaussKruger114);
        var set = FeatureFile.Read(path);
        Assert.Equal(Crs.GaussKruger114, set.Crs);
        Assert.Equal("7", set.Features[0].Id);
        Assert.Equal("阀门", set.Features[0].Properties["name"]);
        Assert.Equal(500000, set.Features[0].Geometry!.Coordinate.X);
    }

    /// <summary>n square features "f0"…, feature i with households = i and its square at x = 10·i; <paramref name="bad"/>
    /// features are replaced by a JSON number (not a feature).</summary>
    private static string ManyFeatures(int n, params int[] bad)
    {
        var sb = new System.Text.StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(',');
            if (bad.Contains(i)) { sb.Append(i); continue; }
            var x = 10 * i;
            sb.Append($"{{\"type\":\"Feature\",\"id\":\"f{i}\",\"properties\":{{\"households\":{i}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{x},0],[{x + 5},0],[{x + 5},5],[{x},5],[{x},0]]]}}}}");
        }
        return sb.Append("]}").ToString();
    }

    [Fact]
    public void GeoJson_LargeCollection_ReadOnAllCores_KeepsFileOrderIdsPropertiesAndGeometries()
    {
        // 3,000 features: above the size where the features are converted in parallel.
        var set = FeatureFile.ReadGeoJson(ManyFeatures(3000), Crs.Local);
        Assert.Equal(3000, set.Features.Count);
        for (var i = 0; i < 3000; i++)
        {
            var f = set.Features[i];
            Assert.Equal(i, f.Index);
            Assert.Equal($"f{i}", f.Id);
            Assert.Equal((long)i, f.Properties["households"]);
            Assert.Equal(10 * i, f.Geometry!.EnvelopeInternal.MinX);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(1_000)]
    [InlineData(5_001)]
    public void GeoJson_WrittenInChunksOnAllCores_IsOneValidDocumentInFeatureOrder(int count)
    {
        // WriteGeoJson serialises large collections in chunks (64–2,048 features, about eight per core) and joins them:
        // the whole text must parse as one document, with every feature once, in order, with its properties and geometry.
        var features = Enumerable.Range(0, count).Select(i => ((Geometry?)F.CreatePolygon([new(i, 0), new(i + 0.5, 0), new(i + 0.5, 1.25), new(i, 0)]),
            (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = $"u{i}", ["cell"] = i % 7, ["名称"] = "小区" })).ToList();
        using var stream = new MemoryStream();
        FeatureFile.WriteGeoJson(stream, features, Crs.GaussKruger114);
        var bytes = stream.ToArray();
        using (var doc = System.Text.Json.JsonDocument.Parse(bytes))
            Assert.Equal(count, doc.RootElement.GetProperty("features").GetArrayLength());
        var set = FeatureFile.ReadGeoJson(bytes);
        Assert.Equal(Crs.GaussKruger114, set.Crs);
        Assert.Equal(count, set.Features.Count);
        for (var i = 0; i < count; i++)
        {
            var f = set.Features[i];
            Assert.Equal($"u{i}", f.Id);
            Assert.Equal((long)(i % 7), f.Properties["cell"]);
            Assert.Equal("小区", f.Properties["名称"]);
            Assert.True(features[i].Item1!.EqualsExact(f.Geometry!), $"feature {i}");
        }
    }

    [Fact]
    public void GeoJson_LargeCollectionWithTwoBadFeatures_ReportsTheFirstInFileOrder()
    {
        var e = Assert.Throws<FeatureFileException>(() => FeatureFile.ReadGeoJson(ManyFeatures(3000, 2500, 1700), Crs.Local));
        Assert.Contains("#1700", e.Message);
    }
}
