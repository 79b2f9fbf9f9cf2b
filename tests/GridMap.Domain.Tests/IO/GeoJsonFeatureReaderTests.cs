using System.Globalization;
using System.Text;
using System.Text.Json;
using GridMap.Domain.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Domain.Tests.IO;

/// <summary>
/// The fast read of a FeatureCollection — features found by brackets (<see cref="FeatureArraySplit"/>) and read by a
/// forward-only reader straight into records (<see cref="GeoJsonFeatureReader"/>) — gives what the path before it gave
/// (the reader over the whole text, a document per feature): the same records, values, geometries and error messages, and
/// refuses the same texts with the same messages.
/// </summary>
public class GeoJsonFeatureReaderTests
{
    /// <summary>Features of every kind the reader meets: ids as strings, numbers, null and objects; nested, null, escaped,
    /// huge and duplicated properties; Polygons and MultiPolygons with holes, whitespace and odd numbers; other geometries;
    /// broken geometries; members twice, out of order, of the wrong kind.</summary>
    private static readonly string[] Varied =
    [
        """{"type":"Feature","id":"a-1","properties":{"name":"文化路 \"小区\"\n","hh":300,"rate":0.5,"big":99999999999999999999999,"huge":1e400,"neg0":-0,"exp":1.5E+3,"t":true,"f":false,"n":null,"nested":{"a":[1, 2,{"b":null}] },"arr":[ ],"esc":"\u00e9\ud83d\ude00 [}"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}}""",
        """{ "type" : "Feature" , "id" : 42 , "properties" : { "id" : "ignored" , "w" : -7 } , "geometry" : { "type" : "MultiPolygon" , "coordinates" : [ [ [ [0,0] , [20,0] , [20,20] , [0,20] , [0,0] ] , [ [5,5],[5,10],[10,10],[10,5],[5,5] ] ] , [ [ [30,30],[40,30],[40,40],[30,30] ] ] ] } }""",
        """{"type":"Feature","id":1.5,"properties":{"w":2.25},"geometry":{"type":"Polygon","coordinates":[[[113.6512345678901,34.7],[113.66,34.7],[113.66,34.71],[113.6512345678901,34.7]],[[113.652,34.701],[113.653,34.7015],[113.654,34.701],[113.652,34.701]]]}}""",
        """{"type":"Feature","id":null,"properties":{"id":5},"geometry":{"type":"Polygon","coordinates":[[[1e2,-0.0],[2E2,0.1],[1.0000000000000002,3],[1e2,-0.0]]]}}""",
        """{"type":"Feature","properties":{"id":7,"name":null},"geometry":{"type":"Polygon","coordinates":[[[-1,-1],[-2,-1],[-2,-2],[-1,-1]]]}}""",
        """{"type":"Feature","id":{"k":[1,"x"]},"properties":{"id":null},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}""",
        """{"type":"Feature","id":-12345678901234,"properties":{},"geometry":null}""",
        """{"type":"Feature","id":true,"properties":{"a":"no geometry member"}}""",
        """{"type":"Feature","properties":{"kind":"valve"},"geometry":{"type":"Point","coordinates":[113.655,34.755]}}""",
        """{"type":"Feature","properties":{"kind":"pipe"},"geometry":{"type":"LineString","coordinates":[[113.65,34.75,12.5],[113.66,34.76,13]]}}""",
        """{"type":"Feature","id":"bad ring","properties":{"hh":1},"geometry":{"type":"Polygon","coordinates":[[[113.6,34.7],[113.61,34.7],[113.61,34.71],[113.6,34.72]]]}}""",
        """{"type":"Feature","properties":{"z":1},"geometry":{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}}""",
        """{"type":"Feature","properties":{"order":"coordinates first"},"geometry":{"coordinates":[[[0,0],[3,0],[3,3],[0,0]]],"type":"Polygon"}}""",
        """{"type":"Feature","properties":{"bbox":1},"geometry":{"type":"Polygon","bbox":[0,0,4,4],"coordinates":[[[0,0],[4,0],[4,4],[0,0]]]}}""",
        """{"type":"Feature","properties":{"a":1},"properties":{"b":2},"geometry":{"type":"Polygon","coordinates":[[[0,0],[5,0],[5,5],[0,0]]]}}""",
        """{"type":"Feature","properties":[1,2],"id":"props not an object","geometry":{"type":"Polygon","coordinates":[[[0,0],[6,0],[6,6],[0,0]]]}}""",
        """{"type":"Feature","properties":{"g":"number"},"geometry":5}""",
        """{"type":"Feature","properties":{"t":"escaped type"},"geometry":{"type":"Pol\u0079gon","coordinates":[[[0,0],[7,0],[7,7],[0,0]]]}}""",
        """{"type":"Feature","properties":{"t":"empty multi"},"geometry":{"type":"MultiPolygon","coordinates":[]}}""",
        """{"type":"Feature","properties":{"t":"string ordinate"},"geometry":{"type":"Polygon","coordinates":[[["0",0],[1,0],[1,1],["0",0]]]}}""",
        """{"type":"Feature","properties":{"a":1,"a":"twice","b":[{"c":{}}]},"geometry":{"type":"Polygon","coordinates":[[[0,0],[8,0],[8,8],[0,0]]]}}""",
        """{"type":"Feature","properties":{"t":"collection"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}}""",
        """{"type":"Feature","id":"x","id":"y","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[9,0],[9,9],[0,0]]]}}""",
        """{"type":"NotAFeature","properties":{"t":"odd type"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]}}""",
        """{"type":"Feature","properties":{"t":"too few points"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}""",
        """{"type":"Feature","properties":{"t":"long ring","v":123456789012345678},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[2,0.5],[3,0],[4,0],[5,1],[6,0],[7,0],[8,2],[9,0],[10,0],[10,10],[9,11],[8,10],[7,10],[6,10],[5,12],[4,10],[3,10],[2,10],[1,10],[0,10],[-1,5],[0,0]]]}}""",
        """{"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[[5.2,5.1],[5.8,5.1],[5.8,5.7],[5.2,5.1]]]]},"type":"Feature","properties":{"after":"geometry first"},"id":9}""",
    ];

    private static string Collection(IEnumerable<string> features, string head = "\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4547\"}},") =>
        "{" + head + "\"features\":[\n" + string.Join(",\n", features) + "\n]}";

    private static string Many(int copies) => Collection(Enumerable.Range(0, copies).SelectMany(_ => Varied));

    private static FeatureSet Read(string json, bool fast, bool keepRaw = false) =>
        FeatureFile.ReadGeoJson(Encoding.UTF8.GetBytes(json), null, keepRaw, fast);

    private static readonly WKBWriter Wkb = new(ByteOrder.LittleEndian, handleSRID: true, emitZ: true, emitM: true);

    /// <summary>Everything a record says, exactly (doubles by their bits, geometries by their WKB, SRID, precision model and factory).</summary>
    private static string Dump(FeatureSet set)
    {
        var sb = new StringBuilder($"{set.Crs}|{set.CrsFromFile}\n");
        foreach (var f in set.Features)
        {
            sb.Append(CultureInfo.InvariantCulture, $"#{f.Index}|id={f.Id ?? "<null>"}|err={f.GeometryError ?? "<null>"}|");
            if (f.Geometry is { } g)
                sb.Append(CultureInfo.InvariantCulture, $"{g.GeometryType}|{Convert.ToHexString(Wkb.Write(g))}|srid {g.SRID}|{g.PrecisionModel}|factory {System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(g.Factory)}|");
            foreach (var (k, v) in f.Properties)
                sb.Append(k).Append('=').Append(v switch
                {
                    null => "null",
                    double d => "double " + BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture),
                    long l => "long " + l.ToString(CultureInfo.InvariantCulture),
                    string s => "string " + s,
                    bool b => "bool " + b,
                    _ => "other " + v.GetType(),
                }).Append(';');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Outcome(string json, bool fast)
    {
        try { return Dump(Read(json, fast)); }
        catch (Exception e) { return $"{e.GetType().Name}: {e.Message}"; }
    }

    [Theory]
    [InlineData(1)]   // 27 features: read on one core
    [InlineData(30)]  // 810: on all cores
    public void VariedFile_GivesTheSameRecordsAsTheDocumentPath(int copies)
    {
        var json = Many(copies);
        var old = Read(json, fast: false);
        var fast = Read(json, fast: true, keepRaw: true);
        Assert.Equal(Varied.Length * copies, fast.Features.Count);
        Assert.Equal(Dump(old), Dump(fast));
        // The cases that matter are really there: values of every kind, the broken ring with its message.
        var f0 = fast.Features[0];
        Assert.Equal("a-1", f0.Id);
        Assert.Equal("文化路 \"小区\"\n", f0.Properties["name"]);
        Assert.Equal(1e23, f0.Properties["big"]);
        Assert.Equal("1e400", f0.Properties["huge"]);
        Assert.Equal(0L, f0.Properties["neg0"]);
        Assert.Equal("{\"a\":[1, 2,{\"b\":null}] }", f0.Properties["nested"]);
        Assert.Equal("42", fast.Features[1].Id);
        Assert.Equal(1, ((Polygon)((MultiPolygon)fast.Features[1].Geometry!).GetGeometryN(0)).NumInteriorRings);
        Assert.Equal("", fast.Features[3].Id); // "id": null → "" (Convert.ToString), as before
        Assert.Equal("7", fast.Features[4].Id);
        Assert.Equal("{\"k\":[1,\"x\"]}", fast.Features[5].Id);
        Assert.StartsWith("geometry could not be parsed:", fast.Features[10].GeometryError, StringComparison.Ordinal);
        Assert.Equal(old.Features[10].GeometryError, fast.Features[10].GeometryError);
        Assert.Equal("feature has no geometry", fast.Features[6].GeometryError);
        Assert.Equal("twice", fast.Features[20].Properties["a"]);
        // The fast reader took the plain polygons itself (only it keeps their text).
        Assert.False(f0.RawGeometry.Utf8.IsEmpty);
        Assert.False(fast.Features[1].RawGeometry.Utf8.IsEmpty);
        Assert.True(fast.Features[13].RawGeometry.Utf8.IsEmpty); // a "bbox" member: not only type and coordinates
        Assert.True(fast.Features[12].RawGeometry.Utf8.IsEmpty); // coordinates before type: the old geometry path
        Assert.All(old.Features, f => Assert.True(f.RawGeometry.Utf8.IsEmpty));
    }

    [Theory]
    [InlineData("[1,2]", "[]")] // arrays: found by the split, refused by the reader of features
    [InlineData("[1,2]", "17")] // a number: the split gives up, the reader over the whole text finds them
    public void LargeCollectionWithBadFeatures_ReportsTheFirstAsBefore(string first, string second)
    {
        var features = Enumerable.Range(0, 40).SelectMany(_ => Varied).ToList();
        features[900] = second;
        features[700] = first;
        var json = Collection(features);
        var old = Outcome(json, fast: false);
        Assert.Contains("feature #700 is not a JSON object", old, StringComparison.Ordinal);
        Assert.Equal(old, Outcome(json, fast: true));
    }

    /// <summary>The varied file with 1–4 random edits (bytes deleted, inserted or replaced, JSON's own characters first, or
    /// the text cut off): the same records or the same error message.</summary>
    [Theory]
    [InlineData(1, 2500)]
    [InlineData(25, 150)] // 675 features: read on all cores
    public void MutatedFiles_AreAcceptedAndRefusedAsBefore(int copies, int samples)
    {
        var valid = Many(copies);
        var rnd = new Random(20251206 + copies);
        const string alphabet = "{}[]\",:\\ \n0123456789.-eE+tfnulaxyz\u00e9";
        var refused = 0;
        for (var s = 0; s < samples; s++)
        {
            var text = new StringBuilder(valid);
            for (var e = rnd.Next(1, 5); e > 0; e--)
            {
                var at = rnd.Next(text.Length);
                switch (rnd.Next(7))
                {
                    case 0: text.Remove(at, Math.Min(rnd.Next(1, 4), text.Length - at)); break;
                    case 1: case 2: text.Insert(at, alphabet[rnd.Next(alphabet.Length)]); break;
                    case 3: case 4: text[at] = alphabet[rnd.Next(alphabet.Length)]; break;
                    case 5: text.Insert(at, new string(alphabet[rnd.Next(8)], rnd.Next(1, 3))); break;
                    default: if (rnd.Next(8) == 0) text.Length = at; break;
                }
            }
            var json = text.ToString();
            var old = Outcome(json, fast: false);
            Assert.Equal(old, Outcome(json, fast: true));
            if (old.StartsWith(nameof(FeatureFileException), StringComparison.Ordinal)) refused++;
        }
        Assert.InRange(refused, samples / 10, samples - samples / 10); // both kinds really met
    }

    [Fact]
    public void NestingAtTheDepthLimit_IsAcceptedAndRefusedAsBefore()
    {
        // A feature is two levels down: 64 in the file is 62 in the feature.
        string Deep(int depth) => Collection(Varied.Take(3).Append(
            "{\"type\":\"Feature\",\"properties\":{\"deep\":" + new string('[', depth) + new string(']', depth) + "},\"geometry\":null}"));
        var accepted = 0;
        for (var depth = 58; depth <= 64; depth++)
        {
            var old = Outcome(Deep(depth), fast: false);
            Assert.Equal(old, Outcome(Deep(depth), fast: true));
            if (!old.StartsWith(nameof(FeatureFileException), StringComparison.Ordinal)) accepted++;
        }
        Assert.InRange(accepted, 1, 6);
    }

    [Fact]
    public void OtherShapes_AreReadAsBefore()
    {
        foreach (var json in new[]
        {
            Collection(Varied, head: "\"type\":\"FeatureCollection\","),
            Collection(Varied, head: "\"type\":\"FeatureCollection\",\"crs\":null,") + "  \n",
            Collection(Varied, head: "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}},\"type\":\"FeatureCollection\",")[..^1] + ",\"bbox\":[0,0,1,1]}",
            Collection([], head: "\"type\":\"FeatureCollection\","),
            "{\"type\":\"FeatureCollection\",\"features\":[ ]}",
            "{\"features\":[" + Varied[0] + "],\"type\":\"FeatureCollection\"}",
            "{\"type\":\"FeatureCollection\",\"features\":[" + Varied[0] + "],\"features\":[]}", // twice: the whole-document path
            "{\"type\":\"FeatureCollection\",\"features\":[" + Varied[0] + ",]}", // a trailing comma
            "{\"type\":\"FeatureCollection\",\"features\":[" + Varied[0] + "] } x",
            "{\"type\":\"FeatureCollection\",\"features\":[" + Varied[0] + "," + Varied[1] + " " + Varied[2] + "]}", // no comma
            "{\"type\":\"FeatureCollection\",\"features\":[" + Varied[0] + "," + Varied[1][..^1] + "]}", // an object not closed
            "{\"type\":\"FeatureCollection\",\"crs\":{\"properties\":5},\"features\":[" + Varied[0] + ",{]}",
            "{\"type\":\"FeatureCollection\",\"crs\":{\"properties\":5},\"features\":[" + Varied[0] + ",7]}",
            "{\"type\":\"Feature\",\"features\":[" + Varied[0] + "]}",
            "{\"type\":\"FeatureCollection\",\"features\":{}}",
            "{\"type\":\"FeatureCollection\",\"features\":[\"a\",null]}",
            "[" + Varied[0] + "]",
        })
            Assert.Equal(Outcome(json, fast: false), Outcome(json, fast: true));
    }

    [Fact]
    public void Split_FindsTheEndOfEveryObjectAsTheReaderDoes_WithEscapesAndBracketsInStrings_AtEveryOffset()
    {
        // Strings of brackets, quotes and backslashes, long enough that an escape falls on every position of a 32-byte block.
        var rnd = new Random(7);
        const string inString = "ab[]{}\\\"\\\\ ,:é";
        for (var s = 0; s < 3000; s++)
        {
            var sb = new StringBuilder(new string(' ', rnd.Next(40))).Append("{\"p\":[");
            for (var k = rnd.Next(1, 6); k > 0; k--)
            {
                sb.Append('"');
                for (var n = rnd.Next(0, 80); n > 0; n--)
                {
                    var c = inString[rnd.Next(inString.Length)];
                    if (c == '\\') sb.Append(rnd.Next(2) == 0 ? "\\\\" : "\\\"");
                    else if (c == '"') sb.Append("\\\"");
                    else sb.Append(c);
                }
                sb.Append("\",{\"q\":[[1,2],{}]},");
            }
            sb.Append("0]}");
            var objectText = sb.ToString();
            var bytes = Encoding.UTF8.GetBytes(objectText + new string(']', rnd.Next(3)) + new string(' ', rnd.Next(70)));
            var start = objectText.IndexOf('{', StringComparison.Ordinal);
            var reader = new Utf8JsonReader(bytes.AsSpan(start, Encoding.UTF8.GetByteCount(objectText) - start));
            reader.Read();
            reader.Skip();
            var i = start;
            Assert.True(FeatureArraySplit.SkipNested(bytes, ref i), objectText);
            Assert.Equal(start + (int)reader.BytesConsumed, i);
        }
    }

    [Fact]
    public void ShortDecimals_ParseToTheDoublesTheReaderGives()
    {
        var rnd = new Random(11);
        var numbers = new List<string> { "0", "-0", "0.0", "1", "-1", "9007199254740992", "9007199254740993", "-9007199254740992", "0.1", "0.30000000000000004",
            "1.0000000000000002", "4.9e-324", "123456789012345678901234", "0.0000000000000000000001", "0.00000000000000000000001", "1e5", "1.5E-3", "-12.5e0" };
        for (var k = 0; k < 20000; k++)
        {
            numbers.Add((rnd.NextDouble() * Math.Pow(10, rnd.Next(-8, 9)) * (rnd.Next(2) == 0 ? 1 : -1)).ToString("R", CultureInfo.InvariantCulture));
            numbers.Add((rnd.NextDouble() * 1e6).ToString("F" + rnd.Next(0, 18), CultureInfo.InvariantCulture));
            var digits = new string(Enumerable.Range(0, rnd.Next(1, 21)).Select(_ => (char)('0' + rnd.Next(10))).ToArray()).TrimStart('0');
            if (digits.Length == 0) digits = "0";
            var point = rnd.Next(digits.Length + 1);
            numbers.Add(point == digits.Length ? digits : (point == 0 ? "0" : digits[..point]) + "." + digits[point..]);
        }
        var fast = 0;
        foreach (var n in numbers)
        {
            var bytes = Encoding.UTF8.GetBytes("[" + n + "]");
            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            reader.Read();
            Assert.Equal(JsonTokenType.Number, reader.TokenType);
            if (!GeoJsonFeatureReader.TryParseShortDecimal(reader.ValueSpan, out var value)) continue;
            fast++;
            Assert.True(reader.TryGetDouble(out var expected), n);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), $"{n}: {value:R} ≠ {expected:R}");
        }
        Assert.True(fast > numbers.Count / 2, $"only {fast} of {numbers.Count} parsed by the short path");
    }
}
