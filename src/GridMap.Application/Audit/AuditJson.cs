using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GridMap.Domain.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Application.Audit;

/// <summary>
/// How before/after values are written to the audit log: JSON (camelCase, Chinese kept readable); a geometry becomes
/// <c>{"type", "sha256" (of its WKB), "areaM2", "lengthM"}</c> — enough to tell whether and how much it changed without
/// storing every vertex. Areas and lengths are in metres (lon/lat projected to EPSG:4547).
/// </summary>
public static class AuditJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new GeometrySummaryConverterFactory() },
    };

    /// <summary>The value as a JSON tree (null stays null).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Options),
    };

    /// <summary>Total area after minus before (m²) when either side holds a geometry, else null.</summary>
    public static double? AreaChange(JsonNode? before, JsonNode? after)
    {
        var (a, hasA) = SumAreas(before);
        var (b, hasB) = SumAreas(after);
        return hasA || hasB ? Math.Round(b - a, 2) : null;
    }

    private static (double Sum, bool Any) SumAreas(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when o.ContainsKey("sha256") && o["areaM2"] is JsonValue v && v.TryGetValue<double>(out var area):
                return (area, true);
            case JsonObject o:
            {
                double sum = 0; var any = false;
                foreach (var (_, child) in o) { var (s, a) = SumAreas(child); sum += s; any |= a; }
                return (sum, any);
            }
            case JsonArray arr:
            {
                double sum = 0; var any = false;
                foreach (var child in arr) { var (s, a) = SumAreas(child); sum += s; any |= a; }
                return (sum, any);
            }
            default:
                return (0, false);
        }
    }

    /// <summary>Area (m²) and length (m) of a geometry: lon/lat (SRID 4326 or 4490, or no SRID (0, -1) with degree-sized coordinates)
    /// through EPSG:4547, else as given (projected metres).</summary>
    public static (double AreaM2, double LengthM) Measure(Geometry g)
    {
        var env = g.EnvelopeInternal;
        var lonLat = g.SRID is 4326 or 4490 || (g.SRID <= 0 && env.MinX >= -180 && env.MaxX <= 180 && env.MinY >= -90 && env.MaxY <= 90);
        var m = lonLat && !g.IsEmpty ? Crs.GaussKruger114.FromWgs84(g) : g;
        return (Math.Round(m.Area, 2), Math.Round(m.Length, 2));
    }

    private sealed class GeometrySummaryConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type t) => typeof(Geometry).IsAssignableFrom(t);
        public override JsonConverter CreateConverter(Type t, JsonSerializerOptions o) =>
            (JsonConverter)Activator.CreateInstance(typeof(GeometrySummaryConverter<>).MakeGenericType(t))!;
    }

    private sealed class GeometrySummaryConverter<T> : JsonConverter<T> where T : Geometry
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("audit geometry summaries are written, never read back.");

        public override void Write(Utf8JsonWriter w, T g, JsonSerializerOptions options)
        {
            var (area, length) = Measure(g);
            w.WriteStartObject();
            w.WriteString("type", g.GeometryType);
            w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(new WKBWriter().Write(g))));
            w.WriteNumber("areaM2", area);
            w.WriteNumber("lengthM", length);
            w.WriteEndObject();
        }
    }
}
