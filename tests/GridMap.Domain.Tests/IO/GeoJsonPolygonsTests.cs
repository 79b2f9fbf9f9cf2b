using System.Text;
using System.Text.Json;
using GridMap.Domain.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridMap.Domain.Tests.IO;

/// <summary>The polygon fast path reads and writes exactly what NetTopologySuite's GeoJSON converter does, and leaves
/// everything else to it.</summary>
public class GeoJsonPolygonsTests
{
    private static readonly JsonSerializerOptions Nts = new() { Converters = { new GeoJsonConverterFactory() } };
    private static readonly GeometryFactory ConverterFactory = JsonSerializer.Deserialize<Geometry>("""{"type":"Point","coordinates":[1,2]}""", Nts)!.Factory;

    private static IEnumerable<string> Samples()
    {
        var rnd = new Random(3);
        string N() => rnd.Next(4) switch
        {
            0 => rnd.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => (rnd.NextDouble() * 1e6 - 5e5).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            2 => (rnd.NextDouble() * 1e-3).ToString("E3", System.Globalization.CultureInfo.InvariantCulture),
            _ => (113 + rnd.NextDouble()).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        string Ring(int n)
        {
            var pts = Enumerable.Range(0, n).Select(_ => $"[{N()},{N()}]").ToList();
            pts.Add(pts[0]);
            return "[" + string.Join(",", pts) + "]";
        }
        for (var i = 0; i < 40; i++)
        {
            yield return $$"""{"type":"Polygon","coordinates":[{{Ring(3 + i % 7)}}]}""";
            yield return $$"""{"type":"Polygon","coordinates":[{{Ring(5)}},{{Ring(3)}},{{Ring(4)}}]}""";
            yield return $$"""{"type":"MultiPolygon","coordinates":[[{{Ring(4)}}],[{{Ring(6)}},{{Ring(3)}}]]}""";
        }
        yield return """{"type":"Polygon","coordinates":[[[-0,0],[1,0],[1,1],[-0,0]]]}""";
        yield return """{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"bbox":[0,0,1,1],"type":"Polygon"}""";
        yield return """{"type":"MultiPolygon","coordinates":[]}""";
    }

    [Fact]
    public void Read_GivesTheConvertersGeometry_AndWrite_ItsBytes()
    {
        var fast = 0;
        foreach (var json in Samples())
        {
            using var doc = JsonDocument.Parse(json);
            var expected = JsonSerializer.Deserialize<Geometry>(json, Nts)!;
            var got = GeoJsonPolygons.TryRead(doc.RootElement, ConverterFactory);
            if (got is not null)
            {
                fast++;
                Assert.Equal(expected.GeometryType, got.GeometryType);
                Assert.True(expected.EqualsExact(got), json);
                Assert.Equal(expected.SRID, got.SRID);
                Assert.Equal(expected.Factory.PrecisionModel, got.Factory.PrecisionModel);
                Assert.Equal(expected.Coordinates.Select(c => (BitConverter.DoubleToInt64Bits(c.X), BitConverter.DoubleToInt64Bits(c.Y))),
                    got.Coordinates.Select(c => (BitConverter.DoubleToInt64Bits(c.X), BitConverter.DoubleToInt64Bits(c.Y))));
            }
            var a = new MemoryStream();
            using (var w = new Utf8JsonWriter(a)) JsonSerializer.Serialize(w, expected, Nts);
            var b = new MemoryStream();
            using (var w = new Utf8JsonWriter(b))
                if (!GeoJsonPolygons.TryWrite(w, expected)) JsonSerializer.Serialize(w, expected, Nts);
            Assert.Equal(Encoding.UTF8.GetString(a.ToArray()), Encoding.UTF8.GetString(b.ToArray()));
        }
        Assert.True(fast >= 120, $"only {fast} samples took the fast path");
    }

    [Theory]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}""")] // a third ordinate
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""")] // not closed
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}""")] // too few points
    [InlineData("""{"type":"Polygon","coordinates":[[["0",0],[1,0],[1,1],["0",0]]]}""")] // a string
    [InlineData("""{"type":"Polygon","coordinates":[]}""")] // empty
    [InlineData("""{"type":"LineString","coordinates":[[0,0],[1,1]]}""")]
    [InlineData("""{"type":"Polygon"}""")]
    public void Unusual_IsLeftToTheConverter(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Null(GeoJsonPolygons.TryRead(doc.RootElement, ConverterFactory));
    }

    [Fact]
    public void FeatureFile_ReadsAPolygonFileAsBefore_AndReportsABrokenRingAsBefore()
    {
        var set = FeatureFile.ReadGeoJson("""
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[113.6,34.7],[113.61,34.7],[113.61,34.71],[113.6,34.7]]]}},
             {"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[113.6,34.7],[113.61,34.7],[113.61,34.71],[113.6,34.72]]]}}]}
            """);
        Assert.IsType<Polygon>(set.Features[0].Geometry);
        Assert.Null(set.Features[1].Geometry);
        Assert.Contains("could not be parsed", set.Features[1].GeometryError, StringComparison.Ordinal);
    }
}
