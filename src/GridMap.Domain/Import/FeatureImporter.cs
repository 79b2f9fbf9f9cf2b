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

/// <summary>The entities a file would become, the problems found, and how many geometries were repaired.</summary>
public sealed record ImportPlan<T>(IReadOnlyList<T> Items, IReadOnlyList<ImportProblem> Problems, int Repaired)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>Options: repair invalid geometries instead of rejecting them; the accepted extent (WGS84) catches wrong CRS.</summary>
public sealed record ImportOptions(bool Repair = false, Envelope? ServiceArea = null)
{
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
                BuiltYear = p.Int("built_year"),
                HeatingSystem = p.Text("heating_system") is { } hs ? Codes.Parse<HeatingSystem>(hs) : HeatingSystem.Series,
                RetrofitStatus = p.Text("retrofit_status") is { } rs ? Codes.ParseRetrofitStatus(rs) : RetrofitStatus.NotStarted,
                ConsentRate = p.Double("consent_rate") ?? 0,
                Dispute = p.Bool("dispute") ?? false,
                DisputeNotes = p.Text("dispute_notes"),
                PropertyManagement = p.Bool("property_management") ?? false,
                FeeStatus = p.Text("fee_status") is { } fs ? (fs is "paid" or "partial" or "arrears" ? fs
                    : throw new ArgumentException($"fee_status '{fs}' must be paid, partial or arrears")) : "paid",
            };
        }, Polygonal: true);

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
                InstallYear = p.Int("install_year"),
                DepthM = p.Double("depth_m") ?? 1.2,
                Status = p.Text("status") is { } st ? Codes.Parse<OpenState>(st) : OpenState.Open,
                Geometry = line,
            };
        }, Polygonal: false);

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
                Dn = p.Int("dn") ?? 100,
                PipeId = p.Int("pipe_id"),
                Location = pt,
            };
        }, Polygonal: false);

    private static ImportPlan<T> Run<T>(FeatureSet set, ImportOptions options, long firstFreeId, Func<FeatureRecord, Geometry, long, T> build, bool Polygonal)
    {
        if (set.Crs.IsLocal) throw new ArgumentException("Local (planar) coordinates cannot be imported: declare the file's coordinate system with --crs.");
        var items = new List<T>(set.Features.Count);
        var problems = new List<ImportProblem>();
        var repaired = 0;
        var nextId = firstFreeId;
        var seenIds = new HashSet<long>();
        foreach (var f in set.Features)
        {
            if (f.Geometry is null) { problems.Add(new(f.Index, f.Id, f.GeometryError ?? "feature has no geometry", null, null)); continue; }
            var g = f.Geometry;
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
                var c = wgs.Centroid.Coordinate;
                problems.Add(new(f.Index, f.Id, $"lies outside the service area (lon {options.Area.MinX}–{options.Area.MaxX}, lat {options.Area.MinY}–{options.Area.MaxY}) after reading it as {set.Crs}: wrong coordinate system? declare it with --crs",
                    double.IsFinite(c.X) ? c.X : null, double.IsFinite(c.Y) ? c.Y : null));
                continue;
            }
            long id;
            if (f.Properties.TryGetValue("id", out var rawId) && rawId is not null)
            {
                if (!long.TryParse(Convert.ToString(rawId, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out id) || id <= 0)
                { problems.Add(new(f.Index, f.Id, $"id '{rawId}' is not a positive integer", where?.X, where?.Y)); continue; }
            }
            else id = nextId++;
            if (!seenIds.Add(id)) { problems.Add(new(f.Index, f.Id, $"id {id} appears more than once in the file", where?.X, where?.Y)); continue; }
            try { items.Add(build(f, wgs, id)); }
            catch (ArgumentException e)
            {
                var msg = e.Message;
                var cut = msg.IndexOf(" (Parameter '", StringComparison.Ordinal);
                problems.Add(new(f.Index, f.Id, cut > 0 ? msg[..cut] : msg.Split('\n')[0], where?.X, where?.Y));
            }
        }
        return new ImportPlan<T>(items, problems, repaired);
    }

    private static Coordinate? Locate(Crs crs, Geometry g)
    {
        if (g.IsEmpty) return null;
        var c = g.Envelope.Centroid.Coordinate;
        return SafeToWgs84(crs, c);
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
