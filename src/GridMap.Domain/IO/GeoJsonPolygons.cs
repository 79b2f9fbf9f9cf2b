using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.IO;

/// <summary>
/// A fast path for the geometries partition and import files are made of — Polygons and MultiPolygons with 2-D positions —
/// read from a parsed <see cref="JsonElement"/> and written to a <see cref="Utf8JsonWriter"/> without NetTopologySuite's
/// general GeoJSON converter (which re-reads each geometry's text through its own reader: most of the 1.4 s it took to read
/// 100,000 compounds). Anything else, or anything unusual (a third ordinate, a ring that does not close, too few points,
/// a non-number), is left to that converter: <see cref="TryRead"/> returns null and the caller uses it, so every error
/// message and every other geometry type are as before. Tests check both directions against the converter.
/// </summary>
internal static class GeoJsonPolygons
{
    /// <summary>The geometry of a GeoJSON Polygon or MultiPolygon, made with <paramref name="factory"/>; null when the
    /// element is anything else or not plainly valid (the general converter then reads it and reports what is wrong).</summary>
    public static Geometry? TryRead(JsonElement g, GeometryFactory factory)
    {
        if (g.ValueKind != JsonValueKind.Object
            || !g.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !g.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
            return null;
        if (type.ValueEquals("Polygon")) return ReadPolygon(coordinates, factory);
        if (!type.ValueEquals("MultiPolygon")) return null;
        var polygons = new Polygon[coordinates.GetArrayLength()];
        var k = 0;
        foreach (var p in coordinates.EnumerateArray())
        {
            if (ReadPolygon(p, factory) is not { } polygon) return null;
            polygons[k++] = polygon;
        }
        return factory.CreateMultiPolygon(polygons);
    }

    private static Polygon? ReadPolygon(JsonElement rings, GeometryFactory factory)
    {
        if (rings.ValueKind != JsonValueKind.Array) return null;
        var count = rings.GetArrayLength();
        if (count == 0) return null; // an empty polygon: the converter's business
        LinearRing? shell = null;
        var holes = new LinearRing[count - 1];
        var r = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            if (ReadRing(ring, factory) is not { } lr) return null;
            if (r == 0) shell = lr; else holes[r - 1] = lr;
            r++;
        }
        return factory.CreatePolygon(shell, holes);
    }

    private static LinearRing? ReadRing(JsonElement ring, GeometryFactory factory)
    {
        if (ring.ValueKind != JsonValueKind.Array) return null;
        var n = ring.GetArrayLength();
        if (n < 4) return null;
        var coords = new Coordinate[n];
        var i = 0;
        foreach (var position in ring.EnumerateArray())
        {
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() != 2) return null;
            using var e = position.EnumerateArray();
            e.MoveNext();
            var xe = e.Current;
            e.MoveNext();
            var ye = e.Current;
            if (xe.ValueKind != JsonValueKind.Number || ye.ValueKind != JsonValueKind.Number
                || !xe.TryGetDouble(out var x) || !ye.TryGetDouble(out var y) || !double.IsFinite(x) || !double.IsFinite(y))
                return null;
            coords[i++] = new Coordinate(x, y);
        }
        if (!coords[0].Equals2D(coords[n - 1])) return null;
        return factory.CreateLinearRing(coords);
    }

    /// <summary>Writes a Polygon or MultiPolygon whose coordinates are all 2-D as the converter would (same bytes, same ring
    /// orientation);
    /// false (nothing written) for anything else.</summary>
    public static bool TryWrite(Utf8JsonWriter w, Geometry g)
    {
        if (g is Polygon p)
        {
            if (!Plain(p)) return false;
            w.WriteStartObject();
            w.WriteString("type", "Polygon");
            w.WritePropertyName("coordinates");
            WritePolygon(w, p);
            w.WriteEndObject();
            return true;
        }
        if (g is not MultiPolygon mp) return false;
        for (var k = 0; k < mp.NumGeometries; k++)
            if (!Plain((Polygon)mp.GetGeometryN(k))) return false;
        w.WriteStartObject();
        w.WriteString("type", "MultiPolygon");
        w.WritePropertyName("coordinates");
        w.WriteStartArray();
        for (var k = 0; k < mp.NumGeometries; k++) WritePolygon(w, (Polygon)mp.GetGeometryN(k));
        w.WriteEndArray();
        w.WriteEndObject();
        return true;
    }

    /// <summary>Whether <see cref="TryWrite"/> writes <paramref name="g"/> with every ring as it is (none reversed): a plain
    /// Polygon/MultiPolygon whose shells are counter-clockwise and holes clockwise — so that the text it was read from,
    /// if that was a Polygon/MultiPolygon of its coordinates, can be written instead.</summary>
    public static bool WrittenAsIs(Geometry g)
    {
        if (g is Polygon p) return Plain(p) && InOrientation(p);
        if (g is not MultiPolygon mp || mp.NumGeometries == 0) return false;
        for (var k = 0; k < mp.NumGeometries; k++)
        {
            var pk = (Polygon)mp.GetGeometryN(k);
            if (!Plain(pk) || !InOrientation(pk)) return false;
        }
        return true;
    }

    private static bool InOrientation(Polygon p)
    {
        if (!NetTopologySuite.Algorithm.Orientation.IsCCW(p.ExteriorRing.CoordinateSequence)) return false;
        foreach (var h in p.InteriorRings)
            if (NetTopologySuite.Algorithm.Orientation.IsCCW(h.CoordinateSequence)) return false;
        return true;
    }

    /// <summary>Non-empty, 2-D, finite: what the fast writer reproduces exactly.</summary>
    private static bool Plain(Polygon p)
    {
        if (p.IsEmpty) return false;
        if (!PlainRing(p.ExteriorRing)) return false;
        foreach (var h in p.InteriorRings) if (!PlainRing(h)) return false;
        return true;
    }

    private static bool PlainRing(LineString ring)
    {
        var seq = ring.CoordinateSequence;
        if (seq.HasZ || seq.HasM || seq.Count == 0) return false;
        for (var i = 0; i < seq.Count; i++)
            if (!double.IsFinite(seq.GetX(i)) || !double.IsFinite(seq.GetY(i))) return false;
        return true;
    }

    private static void WritePolygon(Utf8JsonWriter w, Polygon p)
    {
        w.WriteStartArray();
        WriteRing(w, p.ExteriorRing, counterClockwise: true);
        foreach (var h in p.InteriorRings) WriteRing(w, h, counterClockwise: false);
        w.WriteEndArray();
    }

    /// <summary>A ring in RFC 7946's orientation (shells counter-clockwise, holes clockwise), reversed when it is not,
    /// as the converter writes them (its default <c>RingOrientationOption.EnforceRfc9746</c>, same orientation test).</summary>
    private static void WriteRing(Utf8JsonWriter w, LineString ring, bool counterClockwise)
    {
        var seq = ring.CoordinateSequence;
        var reversed = NetTopologySuite.Algorithm.Orientation.IsCCW(seq) != counterClockwise;
        w.WriteStartArray();
        for (var k = 0; k < seq.Count; k++)
        {
            var i = reversed ? seq.Count - 1 - k : k;
            w.WriteStartArray();
            w.WriteNumberValue(seq.GetX(i));
            w.WriteNumberValue(seq.GetY(i));
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
