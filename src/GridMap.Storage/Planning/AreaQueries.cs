using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Planning;

/// <summary>An area of one kind that holds compounds: its code, name (null when the code has no row in its table),
/// number of compounds, households, the largest compound's households (a cell of at most N households cannot hold a
/// bigger one) and a point inside one of its compounds ([lon, lat], 7 decimals ≈ 1 cm).</summary>
public sealed record AreaListItem(string Code, string? Name, int Compounds, int Households, int MaxHouseholds, decimal[] Point);

/// <summary>The district, street and community codes at a point (each null when there is none there).</summary>
public sealed record AreaCodes(string? District, string? Street, string? Community);

/// <summary>A plan area as the database sees it: name (null when the code is unknown), the district holding most of its
/// compounds (null when it has none), number of compounds (≥ 0), their households and the area polygon (lon/lat; null or
/// empty without compounds and official outline).</summary>
public sealed record AreaSummary(string? Name, string? DistrictCode, int Compounds, int Households, MultiPolygon? Polygon);

/// <summary>A compound of a plan area: id, name, footprint (lon/lat polygon), households (≥ 0) and its community,
/// street and district codes (12, 9 and 6 digits; community and street may be unknown).</summary>
public sealed record AreaCompound(int Id, string Name, Geometry Footprint, int Households, string? Community, string? Street, string District);

/// <summary>
/// Read-only queries about the areas a plan can cover: districts (6-digit codes), streets (9), communities (12) or a
/// drawn polygon (WGS84 lon/lat, SRID 4326). An area is given as its kind (<c>district | street | community |
/// polygon</c>), code (null for a polygon) and polygon (null for a coded area); the caller validates them.
/// </summary>
public sealed class AreaQueries(NpgsqlDataSource db)
{
    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    /// <summary>Areas of <paramref name="kind"/> (district | street | community) holding compounds, ordered by code,
    /// optionally only those within one district (6-digit code).</summary>
    public async Task<IReadOnlyList<AreaListItem>> ListAsync(string kind, string? district, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_areas"));
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.Add(new NpgsqlParameter("district", NpgsqlDbType.Text) { Value = (object?)district ?? DBNull.Value });
        var list = new List<AreaListItem>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AreaListItem(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
                [r.GetDecimal(5), r.GetDecimal(6)]));
        return list;
    }

    /// <summary>The district whose polygon holds the point, and the street and community of the nearest compound within
    /// 1 km (lon/lat degrees).</summary>
    public async Task<AreaCodes> CodesAtAsync(double lon, double lat, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_area_at"));
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new AreaCodes(Text(0), Text(1), Text(2));
    }

    /// <summary>Name, district, counts and polygon of an area (see planning_area.sql); the name is null when the code is unknown.</summary>
    public async Task<AreaSummary> SummaryAsync(string kind, string? code, Geometry? polygon, CancellationToken ct = default)
    {
        await using var cmd = AreaCommand("planning_area", kind, code, polygon);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new AreaSummary(r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? 0 : r.GetInt32(2),
            r.IsDBNull(3) ? 0 : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetFieldValue<Geometry>(4) as MultiPolygon);
    }

    /// <summary>The compounds of an area, in id order.</summary>
    public async Task<IReadOnlyList<AreaCompound>> CompoundsAsync(string kind, string? code, Geometry? polygon, CancellationToken ct = default)
    {
        await using var cmd = AreaCommand("planning_area_compounds", kind, code, polygon);
        var list = new List<AreaCompound>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AreaCompound(r.GetInt32(0), r.GetString(1), r.GetFieldValue<Geometry>(2), r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6)));
        return list;
    }

    /// <summary>Arterial roads crossing <paramref name="area"/> (lon/lat lines), in id order: the barriers cells should not straddle.</summary>
    public async Task<IReadOnlyList<Geometry>> BarriersAsync(Geometry area, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_area_barriers"));
        cmd.Parameters.AddWithValue("area", area);
        var list = new List<Geometry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetFieldValue<Geometry>(0));
        return list;
    }

    /// <summary>Community code (12 digits) → name, for the given codes that exist.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CommunityNamesAsync(IEnumerable<string> codes, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_community_names"));
        cmd.Parameters.AddWithValue("codes", codes.Distinct().ToArray());
        var names = new Dictionary<string, string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names[r.GetString(0)] = r.GetString(1);
        return names;
    }

    private NpgsqlCommand AreaCommand(string query, string kind, string? code, Geometry? polygon)
    {
        var cmd = db.CreateCommand(Sql(query));
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = (object?)code ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("polygon", NpgsqlDbType.Geometry) { Value = (object?)polygon ?? DBNull.Value });
        return cmd;
    }
}
