using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using GridMap.Domain.Import;
using GridMap.Domain.IO;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.IO;

/// <summary>
/// Fuzzing the GeoJSON reader and the importer behind it (CsCheck): random text, random GeoJSON-shaped JSON trees and
/// byte-level mutations of a valid document never throw anything but the reader's own <see cref="FeatureFileException"/>
/// (the importer: its per-feature problems, or ArgumentException for local coordinates), and never take more than a second.
/// Each property runs for a bounded time (a few seconds).
/// </summary>
public class GeoJsonFuzzTests
{
    private const int Seconds = 6;

    private static readonly string Valid = """
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[
         {"type":"Feature","id":"XQ-0012","properties":{"name":"文化路小区","households":300,"built_year":1998,"consent_rate":0.5,"dispute":false},
          "geometry":{"type":"Polygon","coordinates":[[[113.65,34.75],[113.651,34.75],[113.651,34.751],[113.65,34.751],[113.65,34.75]]]}},
         {"type":"Feature","properties":{"id":7,"level":"secondary","dn":150,"depth_m":"1.5"},
          "geometry":{"type":"LineString","coordinates":[[113.65,34.75,12.5],[113.66,34.76,13]]}},
         {"type":"Feature","properties":{"state":"closed","pipe_id":7},"geometry":{"type":"Point","coordinates":[113.655,34.755]}},
         {"type":"Feature","properties":{"name":"多","households":1},"geometry":{"type":"MultiPolygon","coordinates":[[[[113.7,34.8],[113.701,34.8],[113.701,34.801],[113.7,34.8]]]]}}
        ]}
        """;

    private static readonly string[] Keys = ["type", "features", "geometry", "coordinates", "properties", "crs", "id", "name", "households", "dn",
        "level", "geometries", "bbox", "pipe_id", "district_code", "retrofit_status"];

    private static readonly string[] Words = ["FeatureCollection", "Feature", "Point", "LineString", "Polygon", "MultiPolygon", "MultiLineString",
        "GeometryCollection", "MultiPoint", "EPSG:4326", "EPSG:4547", "urn:ogc:def:crs:EPSG::3857", "local", "primary", "施工", "", "\u0000", "NaN"];

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0"),
        Gen.Double[112, 115].Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
        Gen.OneOf("1e400", "-1e400", "1e-400", "0", "-0", "99999999999999999999999", "1.5e308"));

    private static Gen<string> Json(int depth) => depth <= 0
        ? Gen.OneOf(Number, Gen.OneOf(Words).Select(w => "\"" + w + "\""), Gen.OneOf("true", "false", "null"))
        : Gen.Frequency(
            (3, Json(0)),
            (3, Json(depth - 1).Array[0, 5].Select(a => "[" + string.Join(",", a) + "]")),
            (4, Gen.Select(Gen.OneOf(Keys), Json(depth - 1)).Array[0, 5]
                .Select(kv => "{" + string.Join(",", kv.Select(p => "\"" + p.Item1 + "\":" + p.Item2)) + "}")));

    /// <summary>A GeoJSON-shaped tree: a FeatureCollection whose parts are random.</summary>
    private static readonly Gen<string> Shaped =
        Gen.Select(Json(4).Array[0, 4], Gen.OneOf(Words), Json(2))
            .Select((features, type, crs) => "{\"type\":\"" + type + "\",\"crs\":" + crs + ",\"features\":[" + string.Join(",", features) + "]}");

    /// <summary>The valid document with 1–6 random edits: deleting, inserting or replacing a few bytes, or cutting it off.</summary>
    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, Valid.Length], Gen.Int[0, 12], Gen.String[0, 6]).Array[1, 6].Select(edits =>
        {
            var s = new StringBuilder(Valid);
            foreach (var (kind, at, n, text) in edits)
            {
                var i = Math.Min(at, s.Length);
                switch (kind)
                {
                    case 0: s.Remove(i, Math.Min(n, s.Length - i)); break;
                    case 1: s.Insert(i, text); break;
                    case 2: s.Remove(i, Math.Min(text.Length, s.Length - i)).Insert(i, text); break;
                    default: s.Length = i; break;
                }
            }
            return s.ToString();
        });

    private static void ReadAndImport(string text)
    {
        var sw = Stopwatch.StartNew();
        FeatureSet set;
        try { set = FeatureFile.ReadGeoJson(text); }
        catch (FeatureFileException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return;
        }
        var options = new ImportOptions(Repair: text.Length % 2 == 0);
        foreach (var import in new Action[]
        {
            () => FeatureImporter.Compounds(set, options, _ => "410105", 1),
            () => FeatureImporter.Pipes(set, options, 1),
            () => FeatureImporter.Valves(set, options, 1),
        })
        {
            try { import(); }
            catch (ArgumentException e) when (set.Crs.IsLocal) { Assert.Contains("--crs", e.Message, StringComparison.Ordinal); }
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"took {sw.Elapsed} on: {text[..Math.Min(200, text.Length)]}");
    }

    [Fact]
    public void Fuzz_RandomText_OnlyTypedErrors() =>
        Gen.String[0, 300].Sample(ReadAndImport, time: Seconds);

    [Fact]
    public void Fuzz_GeoJsonShapedTrees_OnlyTypedErrors() =>
        Shaped.Sample(ReadAndImport, time: Seconds);

    [Fact]
    public void Fuzz_MutatedValidDocument_OnlyTypedErrors() =>
        Mutated.Sample(ReadAndImport, time: Seconds);

    [Fact]
    public void ValidDocument_IsReadWithItsKeyIdAndZ()
    {
        var set = FeatureFile.ReadGeoJson(Valid);
        Assert.Equal(4, set.Features.Count);
        Assert.Equal("XQ-0012", set.Features[0].Id);
        var pipes = FeatureImporter.Pipes(set with { Features = [set.Features[1]] }, new ImportOptions(), 1);
        Assert.True(pipes.Ok, string.Join("; ", pipes.Problems));
        Assert.Equal(1, pipes.ZDropped);
        Assert.All(pipes.Items[0].Geometry.Coordinates, c => Assert.True(double.IsNaN(c.Z)));
    }

    [Theory]
    [InlineData("{\"type\":5}", "'type' must be a string")]
    [InlineData("{\"type\":\"FeatureCollection\",\"crs\":[1],\"features\":[]}", "'crs' must be")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[1]}", "feature #0 is not a JSON object")]
    [InlineData("\uFEFF[]", "must be a JSON object")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[", "not valid JSON")]
    public void WrongJsonKinds_AreNamedFeatureFileErrors(string json, string expected)
    {
        var e = Assert.Throws<FeatureFileException>(() => FeatureFile.ReadGeoJson(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Force2D_DropsZAndKeepsXY()
    {
        var g = new NetTopologySuite.IO.WKTReader().Read("LINESTRING Z (113.6 34.7 10, 113.7 34.8 20)");
        Assert.True(Flat.HasZOrM(g));
        var flat = Flat.Force2D(g);
        Assert.False(Flat.HasZOrM(flat));
        Assert.Equal("LINESTRING (113.6 34.7, 113.7 34.8)", flat.AsText());
    }
}
