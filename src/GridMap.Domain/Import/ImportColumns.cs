using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Import;

/// <summary>
/// The columns an import writes for one kind (compound, pipe, valve) — the file's property names are the column names —
/// and each entity's values for them, so a re-import can say which attributes changed (<see cref="Changed"/>).
/// Values are the database's: codes as text, whole numbers as int/long, geometries as WGS84 NetTopologySuite geometries.
/// </summary>
public sealed class ImportColumns
{
    private ImportColumns(string kind, string geometry, string[] attributes, string[] alwaysGiven)
    {
        Kind = kind;
        Geometry = geometry;
        Attributes = attributes;
        AlwaysGiven = new HashSet<string>(alwaysGiven, StringComparer.Ordinal);
    }

    /// <summary>Entity name as in the audit log and the import_key table: compound, pipe, valve.</summary>
    public string Kind { get; }

    /// <summary>The geometry column (always given by a feature).</summary>
    public string Geometry { get; }

    /// <summary>The attribute columns an import sets, in table order.</summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>Attributes a feature always sets even without the property (a compound's district follows its footprint).</summary>
    public IReadOnlySet<string> AlwaysGiven { get; }

    public static readonly ImportColumns Compound = new("compound", "footprint",
        ["name", "address", "district_code", "households", "buildings", "heated_area_m2", "built_year", "heating_system", "retrofit_status",
         "consent_rate", "dispute", "dispute_notes", "property_management", "fee_status"], ["name", "district_code", "households"]);

    public static readonly ImportColumns Pipe = new("pipe", "geom",
        ["level", "flow", "dn", "material", "install_year", "depth_m", "status"], ["level", "dn"]);

    public static readonly ImportColumns Valve = new("valve", "geom", ["state", "operable", "level", "dn", "pipe_id"], []);

    /// <summary>The columns of <paramref name="target"/>.</summary>
    public static ImportColumns For(ImportTarget target) => target switch
    {
        ImportTarget.Compounds => Compound,
        ImportTarget.Pipes => Pipe,
        _ => Valve,
    };

    /// <summary>An entity's values for <see cref="Attributes"/> and <see cref="Geometry"/>.</summary>
    public static IReadOnlyDictionary<string, object?> Values<T>(T entity) => entity switch
    {
        Model.Compound c => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = c.Name, ["address"] = c.Address, ["district_code"] = c.DistrictCode, ["households"] = c.Households,
            ["buildings"] = c.Buildings, ["heated_area_m2"] = c.HeatedAreaM2, ["built_year"] = c.BuiltYear,
            ["heating_system"] = c.HeatingSystem.ToCode(), ["retrofit_status"] = c.RetrofitStatus.ToCode(), ["consent_rate"] = c.ConsentRate,
            ["dispute"] = c.Dispute, ["dispute_notes"] = c.DisputeNotes, ["property_management"] = c.PropertyManagement,
            ["fee_status"] = c.FeeStatus, ["footprint"] = c.Footprint,
        },
        Model.Pipe p => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["level"] = p.Level.ToCode(), ["flow"] = p.Flow.ToCode(), ["dn"] = p.Dn, ["material"] = p.Material,
            ["install_year"] = p.InstallYear, ["depth_m"] = p.DepthM, ["status"] = p.Status.ToCode(), ["geom"] = p.Geometry,
        },
        Model.Valve v => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["state"] = v.State.ToCode(), ["operable"] = v.Operable, ["level"] = v.Level.ToCode(), ["dn"] = v.Dn,
            ["pipe_id"] = v.PipeId, ["geom"] = v.Location,
        },
        _ => throw new ArgumentException($"cannot import {typeof(T).Name}"),
    };

    /// <summary>The GridMap id of an imported entity.</summary>
    public static long IdOf<T>(T entity) => entity switch
    {
        Model.Compound c => c.Id,
        Model.Pipe p => p.Id,
        Model.Valve v => v.Id,
        _ => throw new ArgumentException($"cannot import {typeof(T).Name}"),
    };

    /// <summary>The columns among <paramref name="given"/> whose value differs between <paramref name="stored"/> and
    /// <paramref name="incoming"/>, in table order (geometry last). Numbers compare within 1e-9, geometries exactly within 1e-9°.</summary>
    public IReadOnlyList<string> Changed(IReadOnlyDictionary<string, object?> stored, IReadOnlyDictionary<string, object?> incoming, IReadOnlySet<string> given)
    {
        var changed = new List<string>();
        foreach (var c in Attributes.Append(Geometry))
        {
            if (!given.Contains(c)) continue;
            stored.TryGetValue(c, out var a);
            incoming.TryGetValue(c, out var b);
            if (!Same(a, b)) changed.Add(c);
        }
        return changed;
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (Geometry x, Geometry y) => x.EqualsExact(y, 1e-9),
        (string x, string y) => string.Equals(x.TrimEnd(), y.TrimEnd(), StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        _ when IsNumber(a) && IsNumber(b) => Math.Abs(Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture)
            - Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)) <= 1e-9,
        _ => Equals(a, b),
    };

    private static bool IsNumber(object o) => o is int or long or short or double or float or decimal;
}

/// <summary>Dropping Z and M: GridMap stores 2-D geometries; a file's heights are not kept.</summary>
public static class Flat
{
    /// <summary>True when any coordinate of <paramref name="g"/> carries a Z or M value.</summary>
    public static bool HasZOrM(Geometry g)
    {
        foreach (var c in g.Coordinates)
            if (!double.IsNaN(c.Z) || !double.IsNaN(c.M)) return true;
        return false;
    }

    /// <summary>A copy of <paramref name="g"/> with only X and Y.</summary>
    public static Geometry Force2D(Geometry g)
    {
        var factory = new GeometryFactory(g.PrecisionModel, g.SRID, NetTopologySuite.Geometries.Implementation.CoordinateArraySequenceFactory.Instance);
        var editor = new NetTopologySuite.Geometries.Utilities.GeometryEditor(factory);
        return editor.Edit(g, new NetTopologySuite.Geometries.Utilities.GeometryEditor.CoordinateSequenceOperation((seq, _) =>
        {
            var xy = new Coordinate[seq.Count];
            for (var i = 0; i < xy.Length; i++) xy[i] = new Coordinate(seq.GetX(i), seq.GetY(i));
            return factory.CoordinateSequenceFactory.Create(xy);
        }));
    }
}
