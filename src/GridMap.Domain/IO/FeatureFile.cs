using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridMap.Domain.Geo;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.IO.Esri;

namespace GridMap.Domain.IO;

/// <summary>One feature read from a file: its 0-based position, optional id, geometry (null when the file
/// has none or it could not be parsed) and attributes (string, double, long, bool or null; nested JSON as text).</summary>
public sealed record FeatureRecord(int Index, string? Id, Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties, string? GeometryError = null)
{
    /// <summary>The GeoJSON text <see cref="Geometry"/> was read from, kept when the file was read with keepRawGeometry (a
    /// plain Polygon/MultiPolygon from a GeoJSON FeatureCollection only); default (no geometry) otherwise.</summary>
    internal RawGeoJson RawGeometry { get; init; }
}

/// <summary>The features of a file and the CRS their coordinates are in.</summary>
public sealed record FeatureSet(Crs Crs, IReadOnlyList<FeatureRecord> Features, bool CrsFromFile);

/// <summary>Thrown when a file cannot be read at all (missing, malformed, unsupported format or CRS).</summary>
public sealed class FeatureFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads GeoJSON (.geojson/.json), Esri Shapefile (.shp with .prj/.dbf) and GeoPackage (.gpkg) into
/// <see cref="FeatureRecord"/>s, and writes GeoJSON. The CRS comes from the file (GeoJSON "crs" member,
/// .prj, gpkg srs_id) unless overridden; a GeoJSON file without one is WGS84 (RFC 7946).
/// </summary>
public static partial class FeatureFile
{
    /// <summary>The factory NetTopologySuite's GeoJSON converter makes geometries with (its precision model and SRID), so
    /// that the fast paths for polygons (<see cref="GeoJsonPolygons"/>, <see cref="GeoJsonFeatureReader"/>) give the same
    /// geometries. It is the one the converter's default constructor takes (NtsGeometryServices' shared factory for SRID
    /// 4326), given to it explicitly: taking it from a geometry the converter had read cost a cold `gridmap partition`
    /// ≈ 50 ms of serializer start-up before the first feature, even when the converter is never needed.</summary>
    private static readonly GeometryFactory ConverterFactory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    private static readonly JsonSerializerOptions GeoJsonOptions = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions();
        o.Converters.Add(new GeoJsonConverterFactory(ConverterFactory));
        return o;
    }

    /// <summary>Reads a file by its extension. <paramref name="overrideCrs"/> wins over the file's CRS. With
    /// <paramref name="keepRawGeometry"/>, the Polygons and MultiPolygons of a GeoJSON FeatureCollection keep their text
    /// (the whole file stays in memory as long as the records do), and <see cref="WriteGeoJson(string, IReadOnlyList{FeatureRecord}, Func{FeatureRecord, int, IReadOnlyDictionary{string, object}}, Crs)"/>
    /// copies it instead of formatting every coordinate again.</summary>
    public static FeatureSet Read(string path, Crs? overrideCrs = null, bool keepRawGeometry = false)
    {
        if (!File.Exists(path)) throw new FeatureFileException($"File not found: {path}");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            return ext switch
            {
                ".geojson" or ".json" => ReadGeoJson(File.ReadAllBytes(path), overrideCrs, keepRawGeometry),
                ".shp" => ReadShapefile(path, overrideCrs),
                ".gpkg" => GeoPackageFile.Read(path, overrideCrs),
                _ => throw new FeatureFileException($"Unsupported file type '{ext}' ({path}): use .geojson, .json, .shp or .gpkg."),
            };
        }
        catch (FeatureFileException) { throw; }
        catch (ArgumentException e) { throw new FeatureFileException($"{path}: {e.Message}", e); }
        catch (JsonException e) { throw new FeatureFileException($"{path} is not valid GeoJSON: {e.Message}", e); }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or NotSupportedException)
        {
            throw new FeatureFileException($"{path} could not be read: {e.Message}", e);
        }
    }

    /// <summary>Parses GeoJSON text (a FeatureCollection, a single Feature or a bare geometry). Anything that is not
    /// GeoJSON fails with a <see cref="FeatureFileException"/> naming the problem, never another exception.</summary>
    public static FeatureSet ReadGeoJson(string json, Crs? overrideCrs = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadGeoJson(Encoding.UTF8.GetBytes(json), overrideCrs);
    }

    /// <summary>Parses UTF-8 GeoJSON bytes (a leading byte-order mark is skipped); see <see cref="ReadGeoJson(string, Crs?)"/>.
    /// With <paramref name="keepRawGeometry"/> the records keep their Polygons' and MultiPolygons' text, slices of
    /// <paramref name="utf8"/> (see <see cref="Read"/>).</summary>
    public static FeatureSet ReadGeoJson(ReadOnlyMemory<byte> utf8, Crs? overrideCrs = null, bool keepRawGeometry = false) =>
        ReadGeoJson(utf8, overrideCrs, keepRawGeometry, fast: true);

    /// <summary><paramref name="fast"/> false: the features found by the reader over the whole text and each parsed into a
    /// <see cref="JsonDocument"/> (the path before <see cref="GeoJsonFeatureReader"/>, which tests compare it with).</summary>
    internal static FeatureSet ReadGeoJson(ReadOnlyMemory<byte> utf8, Crs? overrideCrs, bool keepRawGeometry, bool fast)
    {
        if (utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        if (AsGeoJsonError(() => ReadCollectionByFeature(utf8, overrideCrs, keepRawGeometry, fast)) is { } set) return set;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(utf8); }
        catch (JsonException e) { throw new FeatureFileException($"not valid JSON: {e.Message}", e); }
        using (doc) return AsGeoJsonError(() => ParseGeoJson(doc.RootElement, overrideCrs));
    }

    /// <summary>Runs a read of parsed JSON; a JSON value of the wrong kind where GeoJSON wants a string or an object
    /// ("crs": {"properties": 5}) becomes a <see cref="FeatureFileException"/> naming it.</summary>
    private static T AsGeoJsonError<T>(Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or JsonException or OverflowException)
        { throw new FeatureFileException($"not valid GeoJSON: {e.Message}", e); }
    }

    /// <summary>
    /// A FeatureCollection read feature by feature, instead of one document of the whole file (for 100,000 compounds its
    /// index of tokens alone grew to tens of MB, one core's work). Each feature's bytes are found first; then every feature
    /// is read on its own, on all cores, by a forward-only reader straight into its record (<see cref="GeoJsonFeatureReader"/>;
    /// a feature it does not take is parsed into a document and read as before). Null when the text is anything else or
    /// unusual (not an object, not a FeatureCollection, a member twice, no features array, text after the object, malformed
    /// JSON): the whole-document path then reads it and reports what is wrong, as before.
    /// <para>
    /// The features' bytes are found by <see cref="FeatureArraySplit"/>, a scan of brackets and strings only (no token is
    /// checked: ≈ 25 ms for the 29 MB of 100,000 compounds, where the reader over the whole text took 50–120 ms, one core's
    /// work either way), and
    /// each feature is checked as well-formed JSON as it is read, on all cores; the text around the array, with the array
    /// emptied, is checked by the reader as before. Every piece well-formed ⇔ the whole text well-formed, so the same texts are
    /// refused (the depth limit too: a feature is two levels down). Anything unusual around the array: the reader over the
    /// whole text finds the features, as before.
    /// </para>
    /// <paramref name="fast"/> false: the path before <see cref="GeoJsonFeatureReader"/> and the split, which tests compare with.
    /// </summary>
    private static FeatureSet? ReadCollectionByFeature(ReadOnlyMemory<byte> utf8, Crs? overrideCrs, bool keepRawGeometry, bool fast)
    {
        var frame = utf8;
        List<(int Start, int Length)>? split = null;
        if (fast && FeatureArraySplit.Split(utf8) is { } s) (frame, split) = s;
        if (ScanCollection(frame.Span) is not { } scan) return null;
        var (type, crs, features) = scan;
        if (split is not null)
        {
            if (features.Count != 0) return null; // cannot be: the frame's array is empty
            features = split;
        }
        using (var typeDoc = JsonDocument.Parse(frame.Slice(type.Start, type.Length)))
            if (typeDoc.RootElement.ValueKind != JsonValueKind.String || typeDoc.RootElement.GetString() != "FeatureCollection") return null;
        // Split features have not been checked yet: a malformed one makes the whole text malformed (null, as the reader over
        // the whole text would have found), whatever else is wrong — so the CRS is read, and a feature's error thrown, after.
        var malformed = 0;
        var (records, error) = ReadFeaturesOrFirstError(features.Count, i =>
        {
            var (start, length) = features[i];
            if (fast && GeoJsonFeatureReader.TryRead(utf8, start, length, i, ConverterFactory, keepRawGeometry, ReadGeometry) is { } record)
                return record;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(utf8.Slice(start, length), FeatureDocumentOptions); }
            catch (JsonException) when (split is not null)
            {
                Volatile.Write(ref malformed, 1);
                return null!;
            }
            using (doc) return ReadFeature(doc.RootElement, i);
        });
        if (Volatile.Read(ref malformed) != 0) return null;
        var (setCrs, fromFile) = crs.Length == 0 ? (Crs.Wgs84, false) : ReadCrsMember(frame.Slice(crs.Start, crs.Length));
        if (overrideCrs is not null) setCrs = overrideCrs;
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return new FeatureSet(setCrs, records, fromFile);
    }

    /// <summary>A feature is two levels below the top of the file (the collection object, its array): 64 levels in the file.</summary>
    internal const int FeatureMaxDepth = 62;

    private static readonly JsonDocumentOptions FeatureDocumentOptions = new() { MaxDepth = FeatureMaxDepth };

    /// <summary>
    /// The members of a FeatureCollection the reader over <paramref name="text"/> finds — "type" and "crs" (their values'
    /// bytes) and each element of "features" — checking that the whole text is well-formed JSON. Null when it is not, or is
    /// not an object with one "type", at most one "crs" and one "features" array.
    /// </summary>
    private static ((int Start, int Length) Type, (int Start, int Length) Crs, List<(int Start, int Length)> Features)? ScanCollection(ReadOnlySpan<byte> text)
    {
        var reader = new Utf8JsonReader(text);
        (int Start, int Length) type = default, crs = default;
        List<(int Start, int Length)>? features = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isCrs = reader.ValueTextEquals("crs"u8);
                var isFeatures = reader.ValueTextEquals("features"u8);
                if (!reader.Read()) return null;
                var start = (int)reader.TokenStartIndex;
                if (isFeatures)
                {
                    if (features is not null || reader.TokenType != JsonTokenType.StartArray) return null;
                    features = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var f = (int)reader.TokenStartIndex;
                        reader.Skip();
                        features.Add((f, (int)reader.BytesConsumed - f));
                    }
                    continue;
                }
                reader.Skip();
                var span = (start, (int)reader.BytesConsumed - start);
                if (isType) { if (type.Length > 0) return null; type = span; }
                else if (isCrs) { if (crs.Length > 0) return null; crs = span; }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
        }
        catch (JsonException) { return null; }
        if (features is null || type.Length == 0) return null;
        return (type, crs, features);
    }

    private static (Crs Crs, bool FromFile) ReadCrsMember(ReadOnlyMemory<byte> value)
    {
        using var doc = JsonDocument.Parse(value);
        return ReadCrs(doc.RootElement);
    }

    /// <summary>The CRS a GeoJSON "crs" member names (null: none, WGS84).</summary>
    private static (Crs Crs, bool FromFile) ReadCrs(JsonElement crsEl)
    {
        if (crsEl.ValueKind == JsonValueKind.Null) return (Crs.Wgs84, false);
        if (crsEl.ValueKind != JsonValueKind.Object || !crsEl.TryGetProperty("properties", out var cp) || cp.ValueKind != JsonValueKind.Object
            || !cp.TryGetProperty("name", out var cn) || cn.ValueKind != JsonValueKind.String)
            throw new FeatureFileException("'crs' must be {\"type\":\"name\",\"properties\":{\"name\":\"EPSG:…\"}}; or declare the CRS with --crs.");
        return (Crs.Parse(cn.GetString()!), true);
    }

    private static FeatureSet ParseGeoJson(JsonElement obj, Crs? overrideCrs)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new FeatureFileException("GeoJSON must be a JSON object.");
        string? type = null;
        if (obj.TryGetProperty("type", out var typeEl))
            type = typeEl.ValueKind == JsonValueKind.String ? typeEl.GetString()
                : throw new FeatureFileException($"GeoJSON 'type' must be a string, not {typeEl.ValueKind.ToString().ToLowerInvariant()}.");
        var (crs, fromFile) = obj.TryGetProperty("crs", out var crsEl) ? ReadCrs(crsEl) : (Crs.Wgs84, false);
        if (overrideCrs is not null) crs = overrideCrs;
        var list = new List<FeatureRecord>();
        switch (type)
        {
            case "FeatureCollection":
                if (!obj.TryGetProperty("features", out var fs) || fs.ValueKind != JsonValueKind.Array)
                    throw new FeatureFileException("FeatureCollection has no 'features' array.");
                var elements = new JsonElement[fs.GetArrayLength()];
                var n = 0;
                foreach (var f in fs.EnumerateArray()) elements[n++] = f;
                list.AddRange(ReadFeatures(n, i => ReadFeature(elements[i], i)));
                break;
            case "Feature":
                list.Add(ReadFeature(obj, 0));
                break;
            case null:
                throw new FeatureFileException("GeoJSON object has no 'type'.");
            default:
                list.Add(ToRecord(0, null, obj, new Dictionary<string, object?>(StringComparer.Ordinal)));
                break;
        }
        return new FeatureSet(crs, list, fromFile);
    }

    /// <summary>The features of a FeatureCollection in file order. Large files are converted on all cores (each feature is
    /// independent): the first error in file order is the one thrown.</summary>
    private static FeatureRecord[] ReadFeatures(int n, Func<int, FeatureRecord> read)
    {
        var (records, error) = ReadFeaturesOrFirstError(n, read);
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return records;
    }

    /// <summary><see cref="ReadFeatures"/>, its error (the first in file order) returned instead of thrown; every feature is read.</summary>
    private static (FeatureRecord[] Records, Exception? Error) ReadFeaturesOrFirstError(int n, Func<int, FeatureRecord> read)
    {
        var records = new FeatureRecord[n];
        var errors = new Exception?[n];
        void ReadOne(int i)
        {
            try { records[i] = read(i); }
            catch (Exception e) { errors[i] = e; }
        }
        if (n < 512 || Environment.ProcessorCount == 1)
            for (var i = 0; i < n; i++) ReadOne(i);
        else Parallel.For(0, n, ReadOne);
        foreach (var e in errors)
            if (e is not null) return (records, e);
        return (records, null);
    }

    private static FeatureRecord ReadFeature(JsonElement fo, int i)
    {
        if (fo.ValueKind != JsonValueKind.Object) throw new FeatureFileException($"feature #{i} is not a JSON object.");
        var props = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (fo.TryGetProperty("properties", out var po) && po.ValueKind == JsonValueKind.Object)
            foreach (var p in po.EnumerateObject()) props[p.Name] = ToValue(p.Value);
        string? id = fo.TryGetProperty("id", out var idEl) ? Convert.ToString(ToValue(idEl), CultureInfo.InvariantCulture) : null;
        if (id is null && props.TryGetValue("id", out var pid) && pid is not null) id = Convert.ToString(pid, CultureInfo.InvariantCulture);
        return ToRecord(i, id, fo.TryGetProperty("geometry", out var g) ? g : default, props);
    }

    private static FeatureRecord ToRecord(int i, string? id, JsonElement gEl, Dictionary<string, object?> props)
    {
        var g = ReadGeometry(gEl, out var err);
        return new FeatureRecord(i, id, g, props, err);
    }

    /// <summary>A feature's "geometry" member (undefined when there is none) and, when it has none or it cannot be parsed, why.</summary>
    private static Geometry? ReadGeometry(JsonElement gEl, out string? err)
    {
        Geometry? g = null;
        err = null;
        if (gEl.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) err = "feature has no geometry";
        else
        {
            try
            {
                g = GeoJsonPolygons.TryRead(gEl, ConverterFactory) ?? gEl.Deserialize<Geometry>(GeoJsonOptions);
                if (g is null) err = "feature has no geometry";
            }
            // NetTopologySuite's GeoJSON converter throws NullReferenceException for a geometry without "coordinates" (found by
            // GeoJsonFuzzTests): it is a malformed feature, not a bug of ours, so it is reported like the others.
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException
                                          or InvalidCastException or OverflowException or NullReferenceException)
            {
                err = $"geometry could not be parsed: {e.Message.Split('\n')[0]}";
            }
        }
        return g;
    }

    private static object? ToValue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var l) ? l : v.TryGetDouble(out var d) && double.IsFinite(d) ? d : v.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => v.GetRawText(),
    };

    private static FeatureSet ReadShapefile(string path, Crs? overrideCrs)
    {
        var prj = Path.ChangeExtension(path, ".prj");
        Crs? crs = overrideCrs;
        var fromFile = false;
        if (crs is null)
        {
            if (!File.Exists(prj))
                throw new FeatureFileException($"{path} has no .prj file: declare its coordinate system with --crs.");
            crs = CrsFromWkt(File.ReadAllText(prj)) ?? throw new FeatureFileException(
                $"{prj}: coordinate system not recognised; declare it with --crs (supported: {string.Join(", ", Crs.Supported)}).");
            fromFile = true;
        }
        var features = Shapefile.ReadAllFeatures(path, new NetTopologySuite.IO.Esri.Shapefiles.Readers.ShapefileReaderOptions { Encoding = DbfEncodingOf(path) });
        var list = new List<FeatureRecord>(features.Length);
        for (var i = 0; i < features.Length; i++)
        {
            var f = features[i];
            var props = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var name in f.Attributes.GetNames()) props[name] = Normalise(f.Attributes[name]);
            props.TryGetValue("id", out var id);
            list.Add(new FeatureRecord(i, id?.ToString(), f.Geometry is { IsEmpty: false } ? f.Geometry : null, props,
                f.Geometry is { IsEmpty: false } ? null : "feature has no geometry"));
        }
        return new FeatureSet(crs, list, fromFile);
    }

    static FeatureFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// The text encoding of a shapefile's .dbf: the .cpg file when there is one (UTF-8, GBK/CP936/GB2312, GB18030, BIG5,
    /// a code page number…), else the dBASE language driver id (0x4D/0x7A: GBK, 0x4F: Big5, 0x4E: Korean, 0x13: Japanese),
    /// else UTF-8. Chinese shapefiles from ArcGIS and older tools are usually GBK.
    /// </summary>
    public static Encoding DbfEncodingOf(string shpPath)
    {
        var cpg = Path.ChangeExtension(shpPath, ".cpg");
        if (File.Exists(cpg))
        {
            var name = File.ReadAllText(cpg).Trim().Trim('\0').Trim();
            if (name.Length == 0) return Encoding.UTF8;
            var upper = name.ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
            var cp = upper switch
            {
                "UTF-8" or "UTF8" or "65001" => 65001,
                "GBK" or "CP936" or "936" or "GB2312" or "ANSI936" or "CP_936" => 936,
                "GB18030" or "54936" => 54936,
                "BIG5" or "CP950" or "950" => 950,
                "88591" or "ISO88591" or "ISO-8859-1" or "LATIN1" => 28591,
                _ when int.TryParse(upper.StartsWith("CP", StringComparison.Ordinal) ? upper[2..] : upper, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                _ => -1,
            };
            try { return cp == 65001 ? new UTF8Encoding(false) : cp > 0 ? Encoding.GetEncoding(cp) : Encoding.GetEncoding(name); }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            { throw new FeatureFileException($"{cpg}: unknown code page '{name}' (use UTF-8 or GBK).", e); }
        }
        var dbf = Path.ChangeExtension(shpPath, ".dbf");
        if (File.Exists(dbf))
        {
            using var s = File.OpenRead(dbf);
            if (s.Length > 29)
            {
                s.Position = 29;
                var ldid = s.ReadByte();
                var cp = ldid switch { 0x4D or 0x7A => 936, 0x4F or 0x78 => 950, 0x4E or 0x79 => 949, 0x13 or 0x7B => 932, _ => 0 };
                if (cp > 0) return Encoding.GetEncoding(cp);
            }
        }
        return Encoding.UTF8;
    }

    internal static object? Normalise(object? v) => v switch
    {
        null or DBNull => null,
        string s => s.TrimEnd(),
        int n => (long)n,
        short n => (long)n,
        long n => n,
        float f => (double)f,
        decimal d => (double)d,
        double d => d,
        bool b => b,
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    /// <summary>Recognises the CRS of an Esri/OGC WKT (.prj) text; null if unknown.</summary>
    public static Crs? CrsFromWkt(string wkt)
    {
        var w = wkt.ToUpperInvariant();
        var epsg = System.Text.RegularExpressions.Regex.Match(w, @"AUTHORITY\[""EPSG"",""(\d+)""\]\]\s*$");
        if (epsg.Success && Crs.TryParse("EPSG:" + epsg.Groups[1].Value, out var byCode)) return byCode;
        if (!w.StartsWith("PROJCS", StringComparison.Ordinal))
        {
            if (w.Contains("CGCS") || w.Contains("CHINA_GEODETIC")) return Crs.Cgcs2000;
            if (w.Contains("NORTH_AMERICAN_1983")) return Crs.Nad83;
            if (w.Contains("WGS_1984") || w.Contains("WGS 84") || w.Contains("WGS84")) return Crs.Wgs84;
            return null;
        }
        if (w.Contains("MERCATOR_AUXILIARY_SPHERE") || w.Contains("PSEUDO-MERCATOR") || w.Contains("PSEUDO_MERCATOR")) return Crs.WebMercator;
        var cm = Param(w, "CENTRAL_MERIDIAN");
        var fe = Param(w, "FALSE_EASTING");
        if ((w.Contains("CGCS") || w.Contains("GAUSS")) && cm is { } c && Math.Abs(c - 114) < 1e-9)
            return fe is > 1_000_000 ? Crs.GaussKrugerZone38 : Crs.GaussKruger114;
        if (w.Contains("ETRS") && cm is { } c9 && Math.Abs(c9 - 9) < 1e-9 && fe is > 1_000_000) return Crs.Etrs89Utm32NZone;
        return null;
    }

    private static double? Param(string w, string name)
    {
        var m = System.Text.RegularExpressions.Regex.Match(w, "PARAMETER\\[\"" + name + "\",\\s*([-0-9.E+]+)\\]");
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }
}
