using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.IO;

/// <summary>
/// One feature of a FeatureCollection read straight into its <see cref="FeatureRecord"/> with a forward-only
/// <see cref="Utf8JsonReader"/>: properties to the values <c>FeatureFile</c>'s element path gives (string, long, double,
/// bool, null; nested JSON as its text), Polygon/MultiPolygon coordinates straight into coordinate arrays — instead of
/// parsing the feature into a <see cref="JsonDocument"/> and converting it element by element (for 100,000 compounds most
/// of the read). Anything unusual is not guessed at: a feature that is not an object, a member given twice, text that is not
/// valid UTF-8, any exception — <see cref="TryRead"/> returns null and the caller reads the feature the old way, so every
/// value and every error message stay as they were. A geometry other than a plain Polygon/MultiPolygon (another type, a
/// third ordinate, a ring that does not close…) is read by the old geometry path (<see cref="GeoJsonPolygons.TryRead"/>,
/// then NetTopologySuite's converter) from its own bytes. Tests compare the two paths on varied files.
/// </summary>
internal static class GeoJsonFeatureReader
{
    /// <summary>Strict UTF-8, as <see cref="JsonElement.GetRawText"/> decodes (invalid bytes throw, and the old path reports them).</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Scratch space for one ring's coordinates, one per thread (features are read on all cores).</summary>
    [ThreadStatic] private static Coordinate[]? _ring;
    [ThreadStatic] private static List<LinearRing>? _rings;
    [ThreadStatic] private static List<Polygon>? _polygons;

    /// <summary>
    /// The feature whose JSON is <paramref name="utf8"/>[<paramref name="start"/>, +<paramref name="length"/>), or null when
    /// it is anything unusual (the caller then reads it the old way). Every token is read, so a record is only returned for
    /// well-formed JSON (a feature found by <see cref="FeatureArraySplit"/> has not been checked before; one that is
    /// malformed gives null, and the caller's document parse then finds it so).
    /// <paramref name="readGeometry"/> is the old geometry path, for a geometry this reader does not take itself. With
    /// <paramref name="keepRaw"/>, a Polygon/MultiPolygon read here whose object has only "type" and "coordinates" keeps
    /// its text (<see cref="FeatureRecord.RawGeometry"/>).
    /// </summary>
    public static FeatureRecord? TryRead(ReadOnlyMemory<byte> utf8, int start, int length, int index, GeometryFactory factory, bool keepRaw,
        ReadGeometryFromElement readGeometry)
    {
        try { return Read(utf8, start, length, index, factory, keepRaw, readGeometry); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever it is, the old path meets it too and reports it as it always has.
            return null;
        }
    }

    /// <summary>The old geometry path: a geometry element to its geometry (or null) and error message.</summary>
    public delegate Geometry? ReadGeometryFromElement(JsonElement geometry, out string? error);

    private static FeatureRecord? Read(ReadOnlyMemory<byte> utf8, int start, int length, int index, GeometryFactory factory, bool keepRaw,
        ReadGeometryFromElement readGeometry)
    {
        var span = utf8.Span.Slice(start, length);
        // Every token is read (and so checked: a feature found by brackets alone has not been yet), to the depth the file allows.
        var r = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = FeatureFile.FeatureMaxDepth });
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        var props = new Dictionary<string, object?>(StringComparer.Ordinal);
        bool seenProperties = false, seenId = false, seenGeometry = false;
        object? idValue = null;
        Geometry? geometry = null;
        string? error = "feature has no geometry";
        var raw = ReadOnlyMemory<byte>.Empty;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("properties"u8))
            {
                if (seenProperties) return null;
                seenProperties = true;
                r.Read();
                if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); continue; }
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var name = r.GetString()!;
                    r.Read();
                    props[name] = ReadValue(ref r, span);
                }
            }
            else if (r.ValueTextEquals("id"u8))
            {
                if (seenId) return null;
                seenId = true;
                r.Read();
                idValue = ReadValue(ref r, span);
            }
            else if (r.ValueTextEquals("geometry"u8))
            {
                if (seenGeometry) return null;
                seenGeometry = true;
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                var gStart = (int)r.TokenStartIndex;
                var copy = r;
                if (r.TokenType == JsonTokenType.StartObject && ReadPolygonal(ref copy, factory, out var plainObject) is { } g)
                {
                    r = copy;
                    geometry = g;
                    error = null;
                    if (keepRaw && plainObject) raw = utf8.Slice(start + gStart, (int)r.BytesConsumed - gStart);
                    continue;
                }
                // Not a plain Polygon/MultiPolygon: the old geometry path, on its own bytes.
                r.Skip();
                using var doc = JsonDocument.Parse(utf8.Slice(start + gStart, (int)r.BytesConsumed - gStart));
                geometry = readGeometry(doc.RootElement, out error);
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
        // Nothing after the object (the split ends a feature at its closing brace; checked all the same).
        if (r.TokenType != JsonTokenType.EndObject || r.Read()) return null;
        // The old path's id: the "id" member (null → "", as Convert.ToString gives), else a non-null "id" property.
        string? id = seenId ? Convert.ToString(idValue, System.Globalization.CultureInfo.InvariantCulture) : null;
        if (id is null && props.TryGetValue("id", out var pid) && pid is not null) id = Convert.ToString(pid, System.Globalization.CultureInfo.InvariantCulture);
        return new FeatureRecord(index, id, geometry, props, error) { RawGeometry = raw.IsEmpty ? default : new RawGeoJson(geometry!, raw) };
    }

    /// <summary>A value as <c>FeatureFile.ToValue</c> gives it from an element; the reader is left on its last token.</summary>
    private static object? ReadValue(ref Utf8JsonReader r, ReadOnlySpan<byte> span)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.String: return r.GetString();
            case JsonTokenType.Number:
                if (r.TryGetInt64(out var l)) return l;
                if (r.TryGetDouble(out var d) && double.IsFinite(d)) return d;
                return StrictUtf8.GetString(r.ValueSpan);
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            default:
                var start = (int)r.TokenStartIndex;
                r.Skip();
                return StrictUtf8.GetString(span[start..(int)r.BytesConsumed]);
        }
    }

    /// <summary>
    /// A geometry object that is a Polygon or MultiPolygon of 2-D finite positions with closed rings of at least four, as
    /// <see cref="GeoJsonPolygons.TryRead"/> reads it (same coordinates, same factory calls); null for anything else.
    /// The reader starts on the object's '{' and, when a geometry is returned, ends on its '}'.
    /// <paramref name="plainObject"/>: the object has no member but "type" and "coordinates".
    /// </summary>
    private static Geometry? ReadPolygonal(ref Utf8JsonReader r, GeometryFactory factory, out bool plainObject)
    {
        plainObject = true;
        int kind = 0; // 1 Polygon, 2 MultiPolygon
        Geometry? g = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("type"u8))
            {
                if (kind != 0) return null;
                r.Read();
                if (r.TokenType != JsonTokenType.String) return null;
                kind = r.ValueTextEquals("Polygon"u8) ? 1 : r.ValueTextEquals("MultiPolygon"u8) ? 2 : 0;
                if (kind == 0) return null;
            }
            else if (r.ValueTextEquals("coordinates"u8))
            {
                // The type must come first (GridMap and most tools write it so); else the old path reads it.
                if (kind == 0 || g is not null) return null;
                r.Read();
                if (r.TokenType != JsonTokenType.StartArray) return null;
                g = kind == 1 ? ReadPolygon(ref r, factory) : ReadMultiPolygon(ref r, factory);
                if (g is null) return null;
            }
            else
            {
                plainObject = false;
                r.Read();
                r.Skip();
            }
        }
        return r.TokenType == JsonTokenType.EndObject ? g : null;
    }

    /// <summary>From the '[' of the polygons to its ']'; at least one polygon.</summary>
    private static MultiPolygon? ReadMultiPolygon(ref Utf8JsonReader r, GeometryFactory factory)
    {
        var polygons = _polygons ??= [];
        polygons.Clear();
        while (r.Read() && r.TokenType == JsonTokenType.StartArray)
        {
            if (ReadPolygon(ref r, factory) is not { } p) return null;
            polygons.Add(p);
        }
        if (r.TokenType != JsonTokenType.EndArray || polygons.Count == 0) return null; // no polygons: the old path's business
        var result = factory.CreateMultiPolygon(polygons.ToArray());
        polygons.Clear();
        return result;
    }

    /// <summary>From the '[' of the rings to its ']'; at least one ring.</summary>
    private static Polygon? ReadPolygon(ref Utf8JsonReader r, GeometryFactory factory)
    {
        var rings = _rings ??= [];
        rings.Clear();
        while (r.Read() && r.TokenType == JsonTokenType.StartArray)
        {
            if (ReadRing(ref r, factory) is not { } ring) return null;
            rings.Add(ring);
        }
        if (r.TokenType != JsonTokenType.EndArray || rings.Count == 0) return null;
        var holes = rings.Count == 1 ? [] : new LinearRing[rings.Count - 1];
        for (var k = 1; k < rings.Count; k++) holes[k - 1] = rings[k];
        var shell = rings[0];
        rings.Clear();
        return factory.CreatePolygon(shell, holes);
    }

    /// <summary>From the '[' of the positions to its ']': at least four [x, y] of finite numbers, the last equal to the first.</summary>
    private static LinearRing? ReadRing(ref Utf8JsonReader r, GeometryFactory factory)
    {
        var buffer = _ring ??= new Coordinate[64];
        var n = 0;
        while (r.Read())
        {
            if (r.TokenType != JsonTokenType.StartArray) break;
            if (!r.Read() || r.TokenType != JsonTokenType.Number || !TryGetFinite(ref r, out var x)) return null;
            if (!r.Read() || r.TokenType != JsonTokenType.Number || !TryGetFinite(ref r, out var y)) return null;
            if (!r.Read() || r.TokenType != JsonTokenType.EndArray) return null;
            if (n == buffer.Length) _ring = buffer = GrowRing(buffer);
            buffer[n++] = new Coordinate(x, y);
        }
        if (r.TokenType != JsonTokenType.EndArray || n < 4) return null;
        var coords = buffer.AsSpan(0, n).ToArray();
        if (!coords[0].Equals2D(coords[n - 1])) return null;
        return factory.CreateLinearRing(coords);
    }

    /// <summary>The number token's value as <see cref="Utf8JsonReader.TryGetDouble"/> gives it, when finite.</summary>
    private static bool TryGetFinite(ref Utf8JsonReader r, out double value) =>
        TryParseShortDecimal(r.ValueSpan, out value) || r.TryGetDouble(out value) && double.IsFinite(value);

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// A JSON number without exponent whose digits, the point left out, make an integer w ≤ 2⁵³, with at most 22 of them
    /// after the point — most coordinates GridMap and other tools write — as w / 10^f: both are exact doubles, so the one
    /// division, correctly rounded, is the double nearest the number, which is what the runtime's parser (correctly rounded
    /// too) gives. A third of the time <see cref="Utf8JsonReader.TryGetDouble"/> took. Zero, an exponent, more digits: false
    /// (the reader parses it). <paramref name="number"/> is a number token the reader has checked.
    /// </summary>
    internal static bool TryParseShortDecimal(ReadOnlySpan<byte> number, out double value)
    {
        value = 0;
        var i = 0;
        var negative = number.Length > 0 && number[0] == '-';
        if (negative) i = 1;
        ulong w = 0;
        var digits = 0;
        for (; i < number.Length; i++)
        {
            var d = (uint)(number[i] - '0');
            if (d > 9) break;
            w = w * 10 + d;
            digits++;
        }
        var fraction = 0;
        if (i < number.Length && number[i] == '.')
        {
            for (i++; i < number.Length; i++)
            {
                var d = (uint)(number[i] - '0');
                if (d > 9) break;
                w = w * 10 + d;
                digits++;
                fraction++;
            }
        }
        if (i != number.Length || digits == 0 || digits > 19 || fraction > 22 || w == 0 || w > 1UL << 53) return false;
        var v = fraction == 0 ? (double)w : (double)w / PowersOfTen[fraction];
        value = negative ? -v : v;
        return true;
    }

    private static Coordinate[] GrowRing(Coordinate[] buffer)
    {
        var bigger = new Coordinate[buffer.Length * 2];
        buffer.CopyTo(bigger, 0);
        return bigger;
    }
}

/// <summary>The GeoJSON text <see cref="Geometry"/> was read from (UTF-8, as in the file): written again as it is when
/// the geometry is written unchanged (<see cref="FeatureFile.WriteGeoJson(string, IReadOnlyList{FeatureRecord}, Func{FeatureRecord, int, IReadOnlyDictionary{string, object}}, GridMap.Domain.Geo.Crs)"/>).
/// Default (no geometry): none kept.</summary>
internal readonly record struct RawGeoJson(Geometry? Geometry, ReadOnlyMemory<byte> Utf8);
