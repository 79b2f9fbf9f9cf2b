using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Reports;

/// <summary>An area a report covers: kind city, district, street, cell, branch (code = name or id) or bbox (WGS84 box).</summary>
public sealed record ReportAreaKey(string Kind, string? Code, double[]? Bbox);

/// <summary>An area's printed name and the WGS84 extent [minLon, minLat, maxLon, maxLat] of its compounds.</summary>
public sealed record ReportArea(string Name, double[] Extent);

/// <summary>A compound on a report map (footprint WGS84, simplified for print).</summary>
public sealed record ReportCompound(string Name, string Stage, int Households, bool Dispute, Geometry Footprint);

/// <summary>Context on a report map: Kind 0 district outline, 1 street outline, 2 cell outline, 3 road.</summary>
public sealed record ReportContextFeature(int Kind, string Name, Geometry Geometry);

/// <summary>A grid cell with who is responsible for it, for its notice board.</summary>
public sealed record ReportCell(string Code, string Name, string District, string? Street, string Branch, string? StaffName, string? StaffPhone);

/// <summary>One compound of a cell's retrofit schedule.</summary>
public sealed record ReportScheduleItem(string Name, int Households, string Stage, double ConsentRate, bool Dispute);

/// <summary>Read side of printed maps and reports: areas, compounds and context to draw, cells (the weekly figures come from
/// the dashboard's <see cref="Stats.ProgressStore"/>).</summary>
public sealed class ReportStore(NpgsqlDataSource db)
{
    private static readonly string AreaSql = SqlScripts.Get("Reports/report_area.sql");
    private static readonly string CompoundsSql = SqlScripts.Get("Reports/report_compounds.sql");
    private static readonly string ContextSql = SqlScripts.Get("Reports/report_context.sql");
    private static readonly string CellSql = SqlScripts.Get("Reports/report_cell.sql");
    private static readonly string ScheduleSql = SqlScripts.Get("Reports/report_cell_schedule.sql");

    /// <summary>The area's name and extent, or null when there is no such area (or it has nothing to draw).</summary>
    public async Task<ReportArea?> AreaAsync(ReportAreaKey key, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(AreaSql);
        BindArea(cmd, key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ReportArea(r.GetString(0), [r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4)]);
    }

    /// <summary>The area's compounds, footprints simplified by <paramref name="tolerance"/> degrees.</summary>
    public async Task<IReadOnlyList<ReportCompound>> CompoundsAsync(ReportAreaKey key, double tolerance, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(CompoundsSql);
        BindArea(cmd, key);
        cmd.Parameters.AddWithValue("tolerance", tolerance);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ReportCompound>();
        while (await r.ReadAsync(ct))
            list.Add(new ReportCompound(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetBoolean(3), r.GetFieldValue<Geometry>(4)));
        return list;
    }

    /// <summary>Outlines and roads meeting <paramref name="extent"/>; street outlines when <paramref name="streets"/>;
    /// the outline of cell <paramref name="cell"/> when given.</summary>
    public async Task<IReadOnlyList<ReportContextFeature>> ContextAsync(double[] extent, bool streets, string? cell, double tolerance, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ContextSql);
        cmd.Parameters.AddWithValue("minx", extent[0]);
        cmd.Parameters.AddWithValue("miny", extent[1]);
        cmd.Parameters.AddWithValue("maxx", extent[2]);
        cmd.Parameters.AddWithValue("maxy", extent[3]);
        cmd.Parameters.AddWithValue("streets", streets);
        cmd.Parameters.Add(new NpgsqlParameter("cell", NpgsqlDbType.Text) { Value = (object?)cell ?? DBNull.Value });
        cmd.Parameters.AddWithValue("tolerance", tolerance);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ReportContextFeature>();
        while (await r.ReadAsync(ct))
            if (!r.IsDBNull(2)) list.Add(new ReportContextFeature(r.GetInt32(0), r.GetString(1), r.GetFieldValue<Geometry>(2)));
        return list;
    }

    /// <summary>The cell with its branch and grid worker, or null when there is no such cell.</summary>
    public async Task<ReportCell?> CellAsync(string code, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(CellSql);
        cmd.Parameters.AddWithValue("code", code);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ReportCell(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), r.GetString(4), Text(r, 5), Text(r, 6));
    }

    /// <summary>The cell's compounds, furthest stage first.</summary>
    public async Task<IReadOnlyList<ReportScheduleItem>> ScheduleAsync(string code, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(ScheduleSql);
        cmd.Parameters.AddWithValue("code", code);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ReportScheduleItem>();
        while (await r.ReadAsync(ct))
            list.Add(new ReportScheduleItem(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetDouble(3), r.GetBoolean(4)));
        return list;
    }

    private static void BindArea(NpgsqlCommand cmd, ReportAreaKey key)
    {
        cmd.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = key.Kind });
        cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = (object?)key.Code ?? DBNull.Value });
        string[] names = ["bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy"];
        for (var i = 0; i < 4; i++)
            cmd.Parameters.Add(new NpgsqlParameter(names[i], NpgsqlDbType.Double) { Value = key.Bbox is { } b ? b[i] : DBNull.Value });
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
