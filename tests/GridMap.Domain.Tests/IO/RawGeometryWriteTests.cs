using System.Text;
using System.Text.Json;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Tests.IO;

/// <summary>
/// A geometry read with keepRawGeometry is written back as the text it was read from when the writer would write it the
/// same (a plain Polygon/MultiPolygon with its rings in RFC 7946's orientation); any other is formatted as before. And the
/// writer that streams its chunks in order fails as it failed, without hanging.
/// </summary>
public class RawGeometryWriteTests
{
    private static readonly GeometryFactory F = new();

    /// <summary>Counter-clockwise shell, clockwise hole, pretty-printed, numbers the writer would write differently.</summary>
    private const string CounterClockwise = """
        {
              "type": "Polygon",
              "coordinates": [
                [ [0.0, 0], [10.50, 0], [10.5, 1e1], [0, 10], [0.0, 0] ],
                [ [2, 2], [2, 4], [4, 4], [4, 2], [2, 2] ]
              ]
            }
        """;

    /// <summary>The same outline, clockwise (shell) — RFC 7946 wants it the other way round.</summary>
    private const string ClockwiseShell = """
        {
              "type": "Polygon",
              "coordinates": [ [ [0, 0], [0, 10], [10.5, 10], [10.5, 0], [0, 0] ] ]
            }
        """;

    /// <summary>A MultiPolygon whose second polygon's hole is counter-clockwise — RFC 7946 wants holes clockwise.</summary>
    private const string CounterClockwiseHole = """
        { "type": "MultiPolygon", "coordinates": [ [ [ [0,0],[1,0],[1,1],[0,0] ] ],
          [ [ [5,5],[9,5],[9,9],[5,9],[5,5] ], [ [6,6],[7,6],[7,7],[6,6] ] ] ] }
        """;

    private static string Collection(params string[] geometries) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",",
            geometries.Select((g, i) => "{\"type\":\"Feature\",\"properties\":{\"id\":\"u" + i + "\",\"hh\":" + (10 + i) + "},\"geometry\":" + g + "}")) + "]}";

    private static string WritePlan(FeatureSet set)
    {
        using var stream = new MemoryStream();
        FeatureFile.WriteGeoJson(stream, set.Features,
            (f, i) => new Dictionary<string, object?>(f.Properties, StringComparer.Ordinal) { ["cell"] = i % 3 }, set.Crs);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>What the writer formats for these features (no text kept).</summary>
    private static string WriteFormatted(FeatureSet set)
    {
        using var stream = new MemoryStream();
        FeatureFile.WriteGeoJson(stream, set.Features.Select((f, i) =>
            (f.Geometry, (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(f.Properties, StringComparer.Ordinal) { ["cell"] = i % 3 })), set.Crs);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonElement Geometry(string plan, int i)
    {
        using var doc = JsonDocument.Parse(plan);
        return doc.RootElement.GetProperty("features")[i].GetProperty("geometry").Clone();
    }

    [Fact]
    public void PrettyPrintedCounterClockwisePolygon_IsCopiedAsItWasRead()
    {
        var set = FeatureFile.ReadGeoJson(Encoding.UTF8.GetBytes(Collection(CounterClockwise)), keepRawGeometry: true);
        var plan = WritePlan(set);
        Assert.Contains(CounterClockwise, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("10.50", WriteFormatted(set), StringComparison.Ordinal); // formatting would have changed it
        // The same document otherwise: the plan reads back to the same features.
        var back = FeatureFile.ReadGeoJson(plan);
        Assert.True(set.Features[0].Geometry!.EqualsExact(back.Features[0].Geometry!));
        Assert.Equal(0L, back.Features[0].Properties["cell"]);
        Assert.Equal("u0", back.Features[0].Properties["id"]);
    }

    [Fact]
    public void ClockwiseShell_IsWrittenCounterClockwise()
    {
        var set = FeatureFile.ReadGeoJson(Encoding.UTF8.GetBytes(Collection(ClockwiseShell)), keepRawGeometry: true);
        Assert.False(set.Features[0].RawGeometry.Utf8.IsEmpty); // the text was kept…
        var plan = WritePlan(set);
        Assert.DoesNotContain(ClockwiseShell, plan, StringComparison.Ordinal); // …but not copied
        Assert.Equal(WriteFormatted(set), plan);
        var shell = Geometry(plan, 0).GetProperty("coordinates")[0];
        Assert.Equal("[[0,0],[10.5,0],[10.5,10],[0,10],[0,0]]", shell.GetRawText());
        var ring = FeatureFile.ReadGeoJson(plan).Features[0].Geometry is Polygon p ? p.ExteriorRing.CoordinateSequence : null;
        Assert.True(NetTopologySuite.Algorithm.Orientation.IsCCW(ring));
    }

    [Fact]
    public void CounterClockwiseHole_IsWrittenClockwise_AndTheOthersCopied()
    {
        var set = FeatureFile.ReadGeoJson(Encoding.UTF8.GetBytes(Collection(CounterClockwise, CounterClockwiseHole, ClockwiseShell, CounterClockwise)), keepRawGeometry: true);
        var plan = WritePlan(set);
        var hole = Geometry(plan, 1).GetProperty("coordinates")[1][1];
        Assert.Equal("[[6,6],[7,7],[7,6],[6,6]]", hole.GetRawText());
        Assert.Equal(2, plan.Split(CounterClockwise).Length - 1);
        // Feature by feature, the plan is the formatted plan but for the copied text.
        var formatted = WriteFormatted(set);
        using var a = JsonDocument.Parse(plan);
        using var b = JsonDocument.Parse(formatted);
        for (var i = 0; i < 4; i++)
        {
            var fa = a.RootElement.GetProperty("features")[i];
            var fb = b.RootElement.GetProperty("features")[i];
            Assert.Equal(fb.GetProperty("properties").GetRawText(), fa.GetProperty("properties").GetRawText());
            var copied = i is 0 or 3;
            Assert.Equal(copied, fa.GetProperty("geometry").GetRawText() != fb.GetProperty("geometry").GetRawText());
        }
    }

    [Fact]
    public void FileWrittenByGridMap_IsWrittenBackByteForByte()
    {
        // Units written by GridMap's own writer, read with their text kept and written as a plan: the same bytes as
        // formatting every geometry again (3,000 features: the read and the write on all cores).
        var rnd = new Random(5);
        var units = Enumerable.Range(0, 3000).Select(i =>
        {
            double x = i % 60 * 100 + rnd.NextDouble(), y = i / 60 * 100 + rnd.NextDouble() * 1e-7;
            Geometry g = i % 7 == 0
                ? F.CreateMultiPolygon([F.CreatePolygon([new(x, y), new(x + 40, y), new(x + 40, y + 40), new(x, y)]),
                    F.CreatePolygon(F.CreateLinearRing([new(x + 50, y), new(x + 90, y), new(x + 90, y + 90), new(x + 50, y + 90), new(x + 50, y)]),
                        [F.CreateLinearRing([new(x + 60, y + 10), new(x + 60, y + 20), new(x + 70, y + 20), new(x + 60, y + 10)])])])
                : F.CreatePolygon([new(x, y), new(x, y + 90.123456789), new(x + 90.5, y + 90), new(x + 90, y), new(x, y)]); // clockwise: written reversed
            return ((Geometry?)g, (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = $"c{i}", ["hh"] = (long)(i % 97) });
        }).ToList();
        using var unitsFile = new MemoryStream();
        FeatureFile.WriteGeoJson(unitsFile, units, Crs.GaussKruger114);
        var set = FeatureFile.ReadGeoJson(unitsFile.ToArray(), keepRawGeometry: true);
        Assert.All(set.Features, f => Assert.False(f.RawGeometry.Utf8.IsEmpty));
        Assert.Equal(WriteFormatted(set), WritePlan(set));
    }

    [Fact]
    public void TextIsKeptOnlyWhenAskedFor_AndOnlyForItsOwnGeometry()
    {
        var json = Encoding.UTF8.GetBytes(Collection(CounterClockwise, CounterClockwise));
        var plain = FeatureFile.ReadGeoJson(json);
        Assert.All(plain.Features, f => Assert.True(f.RawGeometry.Utf8.IsEmpty));
        Assert.DoesNotContain(CounterClockwise, WritePlan(plain), StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"gm-raw-{Guid.NewGuid():N}.geojson");
        File.WriteAllBytes(path, json);
        try
        {
            Assert.All(FeatureFile.Read(path).Features, f => Assert.True(f.RawGeometry.Utf8.IsEmpty));
            Assert.All(FeatureFile.Read(path, keepRawGeometry: true).Features, f => Assert.False(f.RawGeometry.Utf8.IsEmpty));
        }
        finally { File.Delete(path); }
        // A record given another geometry keeps the old text, which is not the new geometry's: it is formatted.
        var kept = FeatureFile.ReadGeoJson(json, keepRawGeometry: true);
        var moved = kept.Features[1] with { Geometry = F.CreatePolygon([new(0, 0), new(3, 0), new(3, 3), new(0, 0)]) };
        using var stream = new MemoryStream();
        FeatureFile.WriteGeoJson(stream, [kept.Features[0], moved], (f, _) => f.Properties, Crs.Wgs84);
        var plan = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(1, plan.Split(CounterClockwise).Length - 1);
        Assert.Contains("\"coordinates\":[[[0,0],[3,0],[3,3],[0,0]]]", plan, StringComparison.Ordinal);
    }

    private sealed class Unwritable
    {
        public string Boom => throw new InvalidOperationException("boom");
    }

    [Fact]
    public void AChunkThatFails_FailsTheWrite_AsBefore()
    {
        // 5,000 features: many chunks on all cores; one late feature cannot be serialised.
        var features = Enumerable.Range(0, 5000).Select(i => ((Geometry?)F.CreatePoint(new Coordinate(i, 0)),
            (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["v"] = i == 4321 ? new Unwritable() : i })).ToList();
        using var stream = new MemoryStream();
        var e = Assert.Throws<AggregateException>(() => FeatureFile.WriteGeoJson(stream, features, Crs.Wgs84));
        Assert.Contains(e.Flatten().InnerExceptions, x => x is InvalidOperationException { Message: "boom" });
    }

    private sealed class FailingStream(long limit) : MemoryStream
    {
        private void Check(int count)
        {
            if (Length + count > limit) throw new IOException("disk full");
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer.ToArray(), 0, buffer.Length);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void WriteByte(byte value)
        {
            Check(1);
            base.WriteByte(value);
        }
    }

    [Fact]
    public void AWriteThatFails_ThrowsItsOwnException()
    {
        var features = Enumerable.Range(0, 5000).Select(i => ((Geometry?)F.CreatePoint(new Coordinate(i, 0)),
            (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["v"] = i })).ToList();
        using var stream = new FailingStream(100_000);
        var e = Assert.Throws<IOException>(() => FeatureFile.WriteGeoJson(stream, features, Crs.Wgs84));
        Assert.Equal("disk full", e.Message);
    }
}
