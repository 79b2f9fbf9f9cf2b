using System.Globalization;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace GridMap.Domain.Import;

/// <summary>What can be imported.</summary>
public enum ImportTarget { Compounds, Pipes, Valves }

/// <summary>One rejected feature: its 0-based index in the file, its id if any, why, and where (WGS84 lon/lat when known).</summary>
public sealed record ImportProblem(int Index, string? Id, string Reason, double? Lon, double? Lat)
{
    public override string ToString() =>
        $"feature #{Index}{(Id is null ? "" : $" (id {Id})")}: {Reason}{(Lon is { } x && Lat is { } y ? $" at {x.ToString("0.######", CultureInfo.InvariantCulture)},{y.ToString("0.######", CultureInfo.InvariantCulture)}" : "")}";
}

/// <summary>Where an imported entity came from: its feature's 0-based index, the source's external key when its id is not a
/// positive integer (<c>"XQ-0012"</c>; null when the file gives GridMap's own integer id, or no id), whether the file gave
/// an integer id (then the entity's Id is that id), and the columns the file gave a value for (the geometry column always):
/// a re-import changes only those.</summary>
public sealed record ImportOrigin(int Index, string? Key, bool IdFromFile, IReadOnlySet<string> Given);

/// <summary>The entities a file would become (<see cref="Items"/>, with <see cref="Origins"/> at the same positions), the
/// problems found, how many geometries were repaired, and how many features had Z (or M) values, which are dropped.</summary>
public sealed record ImportPlan<T>(IReadOnlyList<T> Items, IReadOnlyList<ImportOrigin> Origins, IReadOnlyList<ImportProblem> Problems, int Repaired, int ZDropped)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>Options: repair invalid geometries instead of rejecting them; the accepted extent (WGS84) catches wrong CRS.</summary>
public sealed record ImportOptions(bool Repair = false, Envelope? ServiceArea = null)
{
    /// <summary>When set, a compound's district_code must be one of these (else the feature is refused, not the database write).</summary>
    public IReadOnlySet<string>? Districts { get; init; }

    /// <summary>Zhengzhou and its surroundings, WGS84: anything outside is almost certainly a wrong coordinate system.</summary>
    public static readonly Envelope Zhengzhou = new(112.6, 114.4, 34.2, 35.1);
    public Envelope Area => ServiceArea ?? Zhengzhou;
}

/// <summary>
/// Turns features read from a file into GridMap entities, checking every feature (geometry type, validity,
/// position after transformation to WGS84, attributes) and reporting all problems at once, so a file is
/// either wholly importable or the user gets the full list to fix.
/// </summary>
public static class FeatureImporter
{
    /// <summary>Compounds: Polygon footprints; properties name (required), households (required, ≥ 0), optional
    /// id, address, district_code, buildings, heated_area_m2, built_year, heating_system, retrofit_status (code or 中文),
    /// consent_rate (0–1), dispute, dispute_notes, property_management, fee_status. District from the property, or the
    /// district containing the footprint (<paramref name="districtOf"/>).</summary>
    public static ImportPlan<Compound> Compounds(FeatureSet set, ImportOptions options, Func<Point, string?> districtOf, int firstFreeId) =>
        Run(set, options, firstFreeId, (f, g, id) =>
        {
            var poly = g as Polygon ?? (g is MultiPolygon { NumGeometries: 1 } mp ? (Polygon)mp.GetGeometryN(0)
                : throw new ArgumentException($"expected a Polygon footprint, got {g.GeometryType}"));
            var p = new Props(f.Properties);
            var district = p.Text("district_code") ?? districtOf(poly.InteriorPoint)
                ?? throw new ArgumentException("footprint is in no known district and has no district_code");
            if (options.Districts is { } known && !known.Contains(district))
                throw new ArgumentException($"district_code '{district}' is not a known district");
            return new Compound
            {
                Id = (int)id,
                Name = p.Text("name") ?? throw new ArgumentException("missing required property 'name'"),
                Address = p.Text("address"),
                DistrictCode = district,
                Footprint = poly,
                Households = p.Int("households") ?? throw new ArgumentException("missing required property 'households'"),
                Buildings = p.Int("buildings") ?? 0,
                HeatedAreaM2 = p.Double("heated_area_m2") ?? 0,
                BuiltYear = p.Year("built_year"),
                HeatingSystem = p.Text("heating_system") is { } hs ? Codes.Parse<HeatingSystem>(hs) : HeatingSystem.Series,
                RetrofitStatus = p.Text("retrofit_status") is { } rs ? Codes.ParseRetrofitStatus(rs) : RetrofitStatus.NotStarted,
                ConsentRate = p.Double("consent_rate") ?? 0,
                Dispute = p.Bool("dispute") ?? false,
                DisputeNotes = p.Text("dispute_notes"),
                PropertyManagement = p.Bool("property_management") ?? false,
                FeeStatus = p.Text("fee_status") is { } fs ? (fs is "paid" or "partial" or "arrears" ? fs
                    : throw new ArgumentException($"fee_status '{fs}' must be paid, partial or arrears")) : "paid",
            };
        }, Polygonal: true, ImportColumns.Compound);

    /// <summary>Pipes: LineStrings; properties level (primary|secondary|building), dn (15–1400) required; flow, material,
    /// install_year, depth_m, status optional.</summary>
    public static ImportPlan<Pipe> Pipes(FeatureSet set, ImportOptions options, long firstFreeId) =>
        Run(set, options, firstFreeId, (f, g, id) =>
        {
            var line = g as LineString ?? (g is MultiLineString { NumGeometries: 1 } ml ? (LineString)ml.GetGeometryN(0)
                : throw new ArgumentException($"expected a LineString, got {g.GeometryType}"));
            var p = new Props(f.Properties);
            return new Pipe
            {
                Id = id,
                Level = Codes.Parse<NetworkLevel>(p.Text("level") ?? throw new ArgumentException("missing required property 'level'")),
                Flow = p.Text("flow") is { } fl ? Codes.Parse<FlowDirection>(fl) : FlowDirection.Supply,
                Dn = p.Int("dn") ?? throw new ArgumentException("missing required property 'dn'"),
                Material = p.Text("material") ?? "steel",
                InstallYear = p.Year("install_year"),
                DepthM = p.Double("depth_m") ?? 1.2,
                Status = p.Text("status") is { } st ? Codes.Parse<OpenState>(st) : OpenState.Open,
                Geometry = line,
            };
        }, Polygonal: false, ImportColumns.Pipe);

    /// <summary>Valves: Points; properties state (open|closed), operable, level, dn, pipe_id optional.</summary>
    public static ImportPlan<Valve> Valves(FeatureSet set, ImportOptions options, long firstFreeId) =>
        Run(set, options, firstFreeId, (f, g, id) =>
        {
            var pt = g as Point ?? throw new ArgumentException($"expected a Point, got {g.GeometryType}");
            var p = new Props(f.Properties);
            return new Valve
            {
                Id = id,
                State = p.Text("state") is { } s ? Codes.Parse<OpenState>(s) : OpenState.Open,
                Operable = p.Bool("operable") ?? true,
                Level = p.Text("level") is { } l ? Codes.Parse<NetworkLevel>(l) : NetworkLevel.Secondary,
                Dn = p.Int("dn") is { } dn ? (dn is >= 15 and <= 1400 ? dn : throw new ArgumentException($"dn {dn} must be between 15 and 1400 mm")) : 100,
                PipeId = p.Int("pipe_id") is { } pid ? (pid > 0 ? pid : throw new ArgumentException($"pipe_id {pid} is not a positive integer")) : null,
                Location = pt,
            };
        }, Polygonal: false, ImportColumns.Valve);

    private static ImportPlan<T> Run<T>(FeatureSet set, ImportOptions options, long firstFreeId, Func<FeatureRecord, Geometry, long, T> build, bool Polygonal,
        ImportColumns columns)
    {
        if (set.Crs.IsLocal) throw new ArgumentException("Local (planar) coordinates cannot be imported: declare the file's coordinate system with --crs.");
        var items = new List<T>(set.Features.Count);
        var origins = new List<ImportOrigin>(set.Features.Count);
        var problems = new List<ImportProblem>();
        var repaired = 0;
        var zDropped = 0;
        var nextId = firstFreeId;
        var seenIds = new HashSet<long>();
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in set.Features)
        {
            if (f.Geometry is null) { problems.Add(new(f.Index, f.Id, f.GeometryError ?? "feature has no geometry", null, null)); continue; }
            var g = f.Geometry;
            if (g.IsEmpty) { problems.Add(new(f.Index, f.Id, "geometry is empty (no coordinates)", null, null)); continue; }
            if (Flat.HasZOrM(g)) { g = Flat.Force2D(g); zDropped++; }
            if (NonFinite(g)) { problems.Add(new(f.Index, f.Id, "coordinates are not finite numbers (NaN or infinite)", null, null)); continue; }
            var where = Locate(set.Crs, g);
            if (!g.IsValid)
            {
                var err = new IsValidOp(g).ValidationError;
                var errWhere = err?.Coordinate is { } c ? SafeToWgs84(set.Crs, c) : where;
                if (!options.Repair)
                {
                    problems.Add(new(f.Index, f.Id, $"invalid geometry: {err?.Message ?? "not valid"} (use --repair to fix it)", errWhere?.X, errWhere?.Y));
                    continue;
                }
                g = GeometryFixer.Fix(g);
                if (Polygonal && g is MultiPolygon { NumGeometries: > 1 } parts)
                    g = parts.Geometries.MaxBy(p => p.Area)!; // a footprint is one polygon: keep the main part
                if (g.IsEmpty || !g.IsValid) { problems.Add(new(f.Index, f.Id, "invalid geometry that could not be repaired", errWhere?.X, errWhere?.Y)); continue; }
                repaired++;
            }
            Geometry wgs;
            try { wgs = set.Crs.ToWgs84(g); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            { problems.Add(new(f.Index, f.Id, $"cannot transform from {set.Crs}: {e.Message}", null, null)); continue; }
            if (!options.Area.Contains(wgs.EnvelopeInternal))
            {
                var c = wgs.EnvelopeInternal.Centre;
                var e = wgs.EnvelopeInternal;
                var swapped = set.Crs.IsGeographic && options.Area.Contains(new Envelope(e.MinY, e.MaxY, e.MinX, e.MaxX));
                problems.Add(new(f.Index, f.Id, swapped
                    ? $"lies outside the service area, but inside it with x and y swapped: the coordinates look like lat,lon — GeoJSON and GridMap take lon,lat (axes swapped)"
                    : $"lies outside the service area (lon {options.Area.MinX}–{options.Area.MaxX}, lat {options.Area.MinY}–{options.Area.MaxY}) after reading it as {set.Crs}: wrong coordinate system? declare it with --crs",
                    double.IsFinite(c.X) ? c.X : null, double.IsFinite(c.Y) ? c.Y : null));
                continue;
            }
            if (f.Properties.FirstOrDefault(kv => (kv.Value is string sv && sv.Contains('\0', StringComparison.Ordinal)) || kv.Key.Contains('\0', StringComparison.Ordinal)) is { Key: { } nulKey })
            { problems.Add(new(f.Index, f.Id?.Replace("\0", "\\0", StringComparison.Ordinal), $"property '{nulKey.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character (\\0), which cannot be stored", where?.X, where?.Y)); continue; }
            long id;
            string? key = null;
            var rawId = f.Properties.TryGetValue("id", out var pid) && pid is not null ? Convert.ToString(pid, CultureInfo.InvariantCulture) : f.Id;
            if (rawId is not null && rawId.Trim() is { Length: > 0 } idText)
            {
                if (long.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out id))
                {
                    if (id <= 0) { problems.Add(new(f.Index, f.Id, $"id '{idText}' is not a positive integer (GridMap ids start at 1; use a text key such as 'T{idText}')", where?.X, where?.Y)); continue; }
                    if (!seenIds.Add(id)) { problems.Add(new(f.Index, f.Id, $"id {id} appears more than once in the file", where?.X, where?.Y)); continue; }
                }
                else
                {
                    if (idText.Length > 200) { problems.Add(new(f.Index, idText[..40] + "…", $"id is {idText.Length} characters long; an external key has at most 200", where?.X, where?.Y)); continue; }
                    if (!seenKeys.Add(idText)) { problems.Add(new(f.Index, f.Id, $"id '{idText}' appears more than once in the file", where?.X, where?.Y)); continue; }
                    key = idText;
                    id = nextId++;
                }
            }
            else id = nextId++;
            try
            {
                items.Add(build(f, wgs, id));
                var given = new HashSet<string>(StringComparer.Ordinal) { columns.Geometry };
                foreach (var c in columns.Attributes)
                    if (columns.AlwaysGiven.Contains(c) || (f.Properties.TryGetValue(c, out var v) && v is not null && v is not string { Length: 0 })) given.Add(c);
                origins.Add(new ImportOrigin(f.Index, key, key is null && rawId is not null, given));
            }
            catch (ArgumentException e)
            {
                var msg = e.Message;
                var cut = msg.IndexOf(" (Parameter '", StringComparison.Ordinal);
                problems.Add(new(f.Index, f.Id, cut > 0 ? msg[..cut] : msg.Split('\n')[0], where?.X, where?.Y));
            }
        }
        return new ImportPlan<T>(items, origins, problems, repaired, zDropped);
    }

    private static bool NonFinite(Geometry g)
    {
        foreach (var c in g.Coordinates)
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y)) return true;
        return false;
    }

    private static Coordinate? Locate(Crs crs, Geometry g)
    {
        if (g.IsEmpty) return null;
        return SafeToWgs84(crs, g.EnvelopeInternal.Centre);
    }

    private static Coordinate? SafeToWgs84(Crs crs, Coordinate c)
    {
        try
        {
            var (x, y) = crs.ToWgs84Point(c.X, c.Y);
            return double.IsFinite(x) && double.IsFinite(y) ? new Coordinate(x, y) : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return null; }
    }

    /// <summary>Typed access to feature properties with clear messages for wrong types.</summary>
    private readonly struct Props(IReadOnlyDictionary<string, object?> p)
    {
        public string? Text(string k) => p.TryGetValue(k, out var v) && v is not null && Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s ? s.Trim() : null;

        public int? Int(string k)
        {
            if (!p.TryGetValue(k, out var v) || v is null || v is string { Length: 0 }) return null;
            return v switch
            {
                long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
                double d when d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
                string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
                _ => throw new ArgumentException($"property '{k}' = '{v}' is not a whole number"),
            };
        }

        public int? Year(string k) => Int(k) is { } y
            ? (y is >= 1900 and <= 2100 ? y : throw new ArgumentException($"property '{k}' = {y} is not a year between 1900 and 2100"))
            : null;

        public double? Double(string k)
        {
            if (!p.TryGetValue(k, out var v) || v is null || v is string { Length: 0 }) return null;
            return v switch
            {
                long l => l,
                double d when double.IsFinite(d) => d,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                _ => throw new ArgumentException($"property '{k}' = '{v}' is not a number"),
            };
        }

        public bool? Bool(string k)
        {
            if (!p.TryGetValue(k, out var v) || v is null) return null;
            return v switch
            {
                bool b => b,
                long l when l is 0 or 1 => l == 1,
                string s when s.Trim().ToLowerInvariant() is "true" or "yes" or "1" or "是" => true,
                string s when s.Trim().ToLowerInvariant() is "false" or "no" or "0" or "否" => false,
                _ => throw new ArgumentException($"property '{k}' = '{v}' is not true/false"),
            };
        }
    }
}
